/**
 * Isomorphic parts of the Kargo plugins: catalog annotations, and later permissions and API types.
 *
 * @packageDocumentation
 */
export * from './annotations';
