/**
 * Extension points of the Kargo backend plugin, for backend modules that add promotion gates
 * or freight enrichers.
 *
 * @packageDocumentation
 */
export * from './gates';
export * from './enrichers';
