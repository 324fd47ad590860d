/**
 * A test double of Kargo's REST API (v1beta1): the same paths, resource shapes and watch
 * streams, over simulated projects. It is not Kargo.
 *
 * @packageDocumentation
 */
export { KargoSimulator } from './KargoSimulator';
export {
  generateLargeProject,
  LARGE_PROJECT_FIXTURES,
} from './fixtures/largeProject';
export type {
  LargeProjectFixture,
  LargeProjectOptions,
} from './fixtures/largeProject';
export type { KargoSimulatorOptions } from './KargoSimulator';
export {
  startKargoSimulator,
  MIRRORED_KARGO_VERSION,
} from './startKargoSimulator';
export type {
  StartKargoSimulatorOptions,
  RunningKargoSimulator,
} from './startKargoSimulator';
export type { SimulatorToken } from './http/auth';
export { DEFAULT_TOKENS } from './http/auth';
export type { Faults } from './http/faults';
export { ManualClock, SeedingClock, systemClock } from './clock';
export type { Clock } from './clock';
