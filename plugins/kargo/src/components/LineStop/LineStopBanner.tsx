import { useApi } from '@backstage/core-plugin-api';
import {
  kargoLineStopPermission,
  type LineStopView,
} from '@kargo-backstage/plugin-kargo-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import { kargoApiRef } from '../../api';
import { useKargoBasicPermission } from '../../hooks/useKargoPermission';
import { shortRef } from '../Approvals';
import { useKargoAction } from '../KargoActions';

/** "Stop the line: <reason> — started by <user> at <time>", and its scope. */
export function lineStopMessage(stop: LineStopView): string {
  return `Stop the line${
    stop.instance ? ` (instance ${stop.instance})` : ''
  }: ${stop.reason} — started by ${shortRef(stop.startedBy)} at ${new Date(
    stop.startedAt,
  ).toLocaleString()}`;
}

function LineStopAlert(props: {
  stop: LineStopView;
  canEnd: boolean;
  onChange(): void;
}) {
  const { stop, canEnd, onChange } = props;
  const kargoApi = useApi(kargoApiRef);
  const { busy, run } = useKargoAction();
  return (
    <Alert
      severity="error"
      action={
        canEnd && (
          <Button
            color="inherit"
            size="small"
            disabled={busy}
            onClick={() =>
              run(async () => {
                await kargoApi.endLineStop(stop.id);
                onChange();
              }, 'The line runs again')
            }
          >
            End
          </Button>
        )
      }
    >
      {lineStopMessage(stop)}. Every stage is frozen; a hotfix needs
      kargo.freeze.override.
    </Alert>
  );
}

/**
 * The stop-the-line freezes in force, one error banner each, with "End" for users holding
 * kargo.line.stop. Nothing when the line runs.
 */
export function LineStopBanner(props: {
  lineStops?: LineStopView[];
  /** Refetch the view once a freeze ended. */
  onChange(): void;
}) {
  const { lineStops, onChange } = props;
  const { allowed } = useKargoBasicPermission(kargoLineStopPermission);
  if (!lineStops?.length) return null;
  return (
    <Box
      display="grid"
      style={{ gap: 8 }}
      mb={2}
      role="region"
      aria-label="Stop the line"
    >
      {lineStops.map(stop => (
        <LineStopAlert
          key={stop.id}
          stop={stop}
          canEnd={allowed}
          onChange={onChange}
        />
      ))}
    </Box>
  );
}
