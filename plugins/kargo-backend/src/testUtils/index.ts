/**
 * Test utilities for the Kargo backend plugin and the packages built on it: the simulator on a
 * manual clock, its instance config, and the plugin in a test backend.
 *
 * @packageDocumentation
 */
export { newestFreight, startTestKargo } from './kargoSimulator';
export { kargoForEachTest } from './kargoForEachTest';
export type { KargoForEachTest } from './kargoForEachTest';
export { simulatorInstance, simulatorInstances } from './simulatorInstances';
export { denying, guestbook, startKargoBackend } from './testBackend';
export type { AuditRecord } from './testBackend';
