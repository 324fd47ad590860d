/**
 * The conformance suite's targets, for the suite itself and for `yarn start:real-kargo`.
 *
 * @packageDocumentation
 */
export { startRealKargo } from './realKargo/startRealKargo';
export { realKargoTarget, binaries, KARGO_VERSION } from './targets/realKargo';
export { Conformance, pipeline, warehouse, stage } from './harness';
