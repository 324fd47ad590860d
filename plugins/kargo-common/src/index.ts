/**
 * Isomorphic parts of the Kargo plugins: catalog annotations, Kargo's resource types
 * (generated from its OpenAPI document), and later permissions.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './kargoResources';
