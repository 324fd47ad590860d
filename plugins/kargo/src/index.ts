/**
 * Kargo in the Backstage catalog: freight and stage status on entities, promotions from the portal.
 *
 * @packageDocumentation
 */
export { kargoPlugin, EntityKargoContent, EntityKargoCard } from './plugin';
export { isKargoAvailable } from './conditions';
export * from './api';
