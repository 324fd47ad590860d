/**
 * The Kargo backend plugin: Kargo views for catalog entities, and promotions and other
 * operations under the permission framework.
 *
 * @packageDocumentation
 */
export { kargoPlugin as default } from './plugin';
export {
  kargoStageResourceRef,
  kargoProjectResourceRef,
  kargoStageRules,
  kargoProjectRules,
  kargoStageConditions,
  kargoProjectConditions,
  createKargoStageConditionalDecision,
  createKargoProjectConditionalDecision,
} from './permissions/rules';
export type {
  KargoStageResource,
  KargoProjectResource,
  KargoResourceQuery,
} from './permissions/rules';
