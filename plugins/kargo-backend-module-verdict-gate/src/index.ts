/**
 * A promotion gate for the Kargo backend plugin: freight that someone marked "do not promote"
 * in the portal needs a confirmation before it is promoted (or, configured so, is refused).
 *
 * @packageDocumentation
 */
export { kargoModuleVerdictGate as default } from './module';
export { createVerdictGate, VERDICT_GATE } from './verdictGate';
