/**
 * Isomorphic parts of the Kargo plugins: catalog annotations, permissions, Kargo's resource types
 * (generated from its OpenAPI document), and the views the backend serves.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './approvals';
export * from './availability';
export * from './kargoResources';
export * from './labelSelector';
export * from './metadata';
export * from './promotionGates';
export * from './promotionWindows';
export * from './promotionRequests';
export * from './permissions';
export * from './views';
export * from './schema/openapi/kargoBackendClient';
