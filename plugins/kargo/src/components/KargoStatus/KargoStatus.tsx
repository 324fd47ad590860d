import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';

/** Kargo's health, verification and promotion phases in Backstage's status vocabulary. */
const STATUS: Record<
  string,
  (props: { children?: React.ReactNode }) => JSX.Element
> = {
  Healthy: StatusOK,
  Successful: StatusOK,
  Succeeded: StatusOK,
  Unhealthy: StatusError,
  Failed: StatusError,
  Errored: StatusError,
  Error: StatusError,
  Progressing: StatusRunning,
  Running: StatusRunning,
  Pending: StatusPending,
  // Approval request states.
  Approved: StatusOK,
  Rejected: StatusError,
  Expired: StatusAborted,
  Aborted: StatusAborted,
  Inconclusive: StatusWarning,
  Unknown: StatusWarning,
};

/** A Kargo phase with the matching status icon; NotApplicable and empty show nothing. */
export function KargoStatus(props: { phase?: string; label?: string }) {
  const { phase, label } = props;
  if (!phase || phase === 'NotApplicable') return null;
  const Status = STATUS[phase] ?? StatusWarning;
  return <Status>{label ?? phase}</Status>;
}
