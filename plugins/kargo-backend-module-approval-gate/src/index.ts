/**
 * A promotion gate for the Kargo backend plugin: a stage that approval policies select takes
 * freight only once its approval request has the approvals the policies ask for.
 *
 * @packageDocumentation
 */
export { kargoModuleApprovalGate as default } from './module';
export { createApprovalGate, APPROVAL_GATE } from './approvalGate';
