/**
 * Scaffolder actions for Kargo.
 *
 * @packageDocumentation
 */
export { scaffolderModuleKargo as default } from './module';
export { createKargoProjectInitAction } from './actions/projectInit';
export { createKargoResourcesApplyAction } from './actions/resourcesApply';
export { createKargoFreightCreateAction } from './actions/freightCreate';
export { createKargoPromoteAction } from './actions/promote';
export { projectManifests } from './manifests/projectManifests';
export type { KargoProjectSpec } from './manifests/projectManifests';
export type { KargoActionOptions } from './actions/options';
