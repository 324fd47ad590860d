export { ApprovalRequestSummary } from './ApprovalRequestSummary';
export { ApprovalVote } from './ApprovalVote';
export { RequestApproval } from './RequestApproval';
export type { RequestApprovalProps } from './RequestApproval';
export { StageApprovals } from './StageApprovals';
export {
  APPROVAL_GATE,
  newestRequest,
  pendingApprovals,
  pendingLabel,
  shortRef,
} from './approvalLabels';
