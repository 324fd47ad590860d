import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type {
  ApprovalDecision,
  ApprovalRequestView,
} from '@kargo-backstage/plugin-kargo-common';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { kargoApiRef, KargoProjectRef } from '../../api';
import { FlexRow } from '../FlexRow';
import { errorMessage } from '../KargoActions';

/**
 * Approve or reject a pending request, with an optional comment. Shown to every signed-in user:
 * the backend knows the policy's groups and refuses the requester and non-members, and its
 * reason is shown here rather than in a passing toast.
 */
export function ApprovalVote(props: {
  projectRef: KargoProjectRef;
  request: ApprovalRequestView;
  /** Called with the request as it is after the vote. */
  onVoted?(request: ApprovalRequestView): void;
}) {
  const { projectRef, request, onVoted } = props;
  const kargoApi = useApi(kargoApiRef);
  const alertApi = useApi(alertApiRef);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const vote = async (decision: ApprovalDecision) => {
    setBusy(true);
    setError(undefined);
    try {
      const updated = await kargoApi.voteOnApprovalRequest(
        projectRef,
        request.id,
        { decision, ...(comment.trim() ? { comment: comment.trim() } : {}) },
      );
      setComment('');
      alertApi.post({
        message: `${
          decision === 'Approved' ? 'Approved' : 'Rejected'
        } the promotion into ${request.stage}`,
        severity: 'success',
        display: 'transient',
      });
      onVoted?.(updated);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <FlexRow wrap alignItems="flex-end" gap={8} marginY={1}>
        <TextField
          id={`kargo-approval-comment-${request.id}`}
          size="small"
          label="Comment (optional)"
          value={comment}
          onChange={e => setComment(e.target.value)}
        />
        <Button
          size="small"
          variant="outlined"
          color="primary"
          disabled={busy}
          onClick={() => vote('Approved')}
        >
          Approve
        </Button>
        <Button
          size="small"
          variant="outlined"
          color="secondary"
          disabled={busy}
          onClick={() => vote('Rejected')}
        >
          Reject
        </Button>
      </FlexRow>
      {error && (
        <Alert severity="error">Your vote was not counted: {error}</Alert>
      )}
    </>
  );
}
