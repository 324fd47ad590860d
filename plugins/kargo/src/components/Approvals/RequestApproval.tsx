import { useApi } from '@backstage/core-plugin-api';
import type { ApprovalRequestView } from '@kargo-backstage/plugin-kargo-common';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { kargoApiRef, KargoProjectRef } from '../../api';
import { FlexRow } from '../FlexRow';
import { errorMessage } from '../KargoActions';
import { ApprovalRequestSummary } from './ApprovalRequestSummary';
import { newestRequest } from './approvalLabels';

export interface RequestApprovalProps {
  projectRef: KargoProjectRef;
  stage: string;
  freight: string;
  /** Changes when the view's copy of the request changes (a vote came): read it again. */
  revision?: string;
  /** The user may promote into the stage, which asking for approval needs too. */
  allowed: boolean;
  /** Called with the new request. */
  onRequested?(request: ApprovalRequestView): void;
}

/**
 * For freight the approval gate holds back: the freight's newest request for the stage with its
 * votes, and "Request approval" when there is none still open (none, rejected or expired).
 */
export function RequestApproval(props: RequestApprovalProps) {
  const { projectRef, stage, freight, allowed, onRequested } = props;
  const kargoApi = useApi(kargoApiRef);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [created, setCreated] = useState<ApprovalRequestView>();

  // Rejected and expired requests are not in the view: the dialog asks for the stage's list.
  const listed = useAsync(
    async () =>
      newestRequest(
        await kargoApi.listApprovalRequests(projectRef, { stage }),
        stage,
        freight,
      ),
    [
      kargoApi,
      projectRef.instance,
      projectRef.project,
      stage,
      freight,
      props.revision,
    ],
  );
  const request =
    created && created.freight === freight && created.stage === stage
      ? newestRequest(
          [created, ...(listed.value ? [listed.value] : [])],
          stage,
          freight,
        )
      : listed.value;
  const open = request?.state === 'Pending' || request?.state === 'Approved';

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const made = await kargoApi.requestApproval(projectRef, {
        stage,
        freight,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      setCreated(made);
      setComment('');
      onRequested?.(made);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div aria-label="Approval">
      {listed.error && (
        <Alert severity="warning">
          Could not read the approval requests: {errorMessage(listed.error)}
        </Alert>
      )}
      {request ? (
        <ApprovalRequestSummary request={request} />
      ) : (
        !listed.loading && (
          <Typography variant="body2">
            No approval was requested for this freight yet.
          </Typography>
        )
      )}
      {!open && !listed.loading && (
        <FlexRow wrap alignItems="flex-end" gap={8} marginY={1}>
          <TextField
            id="kargo-request-approval-comment"
            size="small"
            label="Comment for the approvers (optional)"
            value={comment}
            onChange={e => setComment(e.target.value)}
            style={{ minWidth: 280 }}
          />
          <Button
            size="small"
            variant="outlined"
            color="primary"
            disabled={busy || !allowed}
            onClick={submit}
          >
            {busy ? 'Requesting…' : 'Request approval'}
          </Button>
        </FlexRow>
      )}
      {error && (
        <Alert severity="error">Approval was not requested: {error}</Alert>
      )}
    </div>
  );
}
