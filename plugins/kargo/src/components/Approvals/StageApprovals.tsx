import type {
  FreightView,
  KargoProjectView,
  StageView,
} from '@kargo-backstage/plugin-kargo-common';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { freightTitle, freightVersion } from '../../freightLabels';
import { ApprovalRequestSummary } from './ApprovalRequestSummary';
import { ApprovalVote } from './ApprovalVote';
import { whyNoVote } from './approvalLabels';

/**
 * The stage's approval policies and its open requests (pending and approved), with Approve and
 * Reject on the pending ones. Nothing when no policy selects the stage and nothing is asked.
 */
export function StageApprovals(props: {
  view: KargoProjectView;
  stage: StageView;
  /** Refetch the view after a vote, before the change signal comes. */
  onChange?(): void;
  className?: string;
}) {
  const { view, stage, onChange } = props;
  const identityApi = useApi(identityApiRef);
  const me = useAsync(() => identityApi.getBackstageIdentity(), [identityApi]);
  const policies = view.approvals?.stages[stage.name] ?? [];
  const requests = (view.approvals?.requests ?? []).filter(
    r => r.stage === stage.name,
  );
  if (!policies.length && !requests.length) return null;
  const freight = new Map(view.freight.map(f => [f.name, f]));
  const label = (name: string) => {
    const f: FreightView | undefined = freight.get(name);
    return f ? `${freightTitle(f)} (${freightVersion(f)})` : name.slice(0, 7);
  };
  const ref = { instance: view.instance, project: view.project };
  return (
    <section
      className={props.className}
      aria-label={`Approvals for ${stage.name}`}
    >
      <Typography variant="h6">Approvals</Typography>
      {policies.length > 0 && (
        <Typography color="textSecondary">
          Promotions into {stage.name} need approval ({policies.join(', ')}).
        </Typography>
      )}
      {requests.length === 0 && (
        <Typography color="textSecondary">No open requests.</Typography>
      )}
      {requests.map(r => (
        <Box key={r.id} paddingY={1} borderBottom={1} borderColor="divider">
          <ApprovalRequestSummary request={r} freightLabel={label(r.freight)} />
          {r.state === 'Pending' &&
            (me.value && whyNoVote(r, me.value) ? (
              <Typography variant="body2" color="textSecondary">
                {whyNoVote(r, me.value)}
              </Typography>
            ) : (
              <ApprovalVote projectRef={ref} request={r} onVoted={onChange} />
            ))}
        </Box>
      ))}
    </section>
  );
}
