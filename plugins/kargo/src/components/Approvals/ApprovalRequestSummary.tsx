import type { ApprovalRequestView } from '@kargo-backstage/plugin-kargo-common';
import Typography from '@material-ui/core/Typography';
import { KargoStatus } from '../KargoStatus';
import { approvalProgress, shortRef } from './approvalLabels';

const when = (iso: string) => new Date(iso).toLocaleString();

/**
 * One approval request: its state, who asked and why, what each policy still needs, and the
 * votes so far.
 */
export function ApprovalRequestSummary(props: {
  request: ApprovalRequestView;
  /** What the freight is called, when the request is shown apart from it. */
  freightLabel?: string;
}) {
  const { request, freightLabel } = props;
  return (
    <div aria-label={`Approval request ${request.id}`}>
      <Typography variant="body2" component="div">
        <KargoStatus phase={request.state} />{' '}
        {freightLabel && <b>{freightLabel} · </b>}
        requested by {shortRef(request.requestedBy)} at{' '}
        {when(request.requestedAt)}
        {request.comment && <>: “{request.comment}”</>}
      </Typography>
      {approvalProgress(request).map(line => (
        <Typography key={line} variant="body2" color="textSecondary">
          {line}
        </Typography>
      ))}
      {request.votes.map(v => (
        <Typography key={`${v.by}-${v.at}`} variant="body2">
          {v.decision === 'Approved' ? '✓' : '✗'} {v.decision} by{' '}
          {shortRef(v.by)} (as a member of {shortRef(v.asMemberOf)}) at{' '}
          {when(v.at)}
          {v.comment && <>: “{v.comment}”</>}
        </Typography>
      ))}
      {request.expiresAt && (
        <Typography variant="body2" color="textSecondary">
          The first approval stops counting at {when(request.expiresAt)}.
        </Typography>
      )}
    </div>
  );
}
