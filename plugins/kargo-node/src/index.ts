/**
 * Extension points of the Kargo backend plugin, for backend modules that add promotion gates
 * or freight enrichers.
 *
 * @packageDocumentation
 */
export * from './gates';
export * from './enrichers';
export { authorizeKargo } from './authorizeKargo';
export { breaks, nextTurn } from './eventLoop';
export { KargoClient } from './kargo/KargoClient';
export type {
  KargoClientOptions,
  WatchRequest,
  ResourcesResponse,
  KargoRole,
  KargoQuery,
  KargoSecret,
  KargoSecretList,
  KargoRepoCredentialsRequest,
  KargoRepoCredentialsPatch,
} from './kargo/KargoClient';
export { KargoInstances } from './kargo/KargoInstances';
export { kargoInstancesServiceRef } from './kargoInstancesService';
export type { KargoServerInfo } from './kargo/kargoServer';
export {
  KargoOutcomeUnknownError,
  isOutcomeUnknown,
} from './kargo/kargoErrors';
export { readKargoInstances } from './kargo/KargoInstanceConfig';
export type { KargoInstanceConfig } from './kargo/KargoInstanceConfig';
