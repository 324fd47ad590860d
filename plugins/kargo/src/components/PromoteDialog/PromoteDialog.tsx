import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  isPromotionRequest,
  kargoFreightPromotePermission,
  kargoStagePermissions,
  kargoStageResourceRef,
  type KargoGateOutcome,
} from '@kargo-backstage/plugin-kargo-common';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import useAsync from 'react-use/esm/useAsync';
import type {
  KargoProjectView,
  StageView,
} from '@kargo-backstage/plugin-kargo-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import { makeStyles } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useMemo, useState } from 'react';
import { kargoApiRef } from '../../api';
import { freightTitle, freightVersion } from '../../freightLabels';
import { useKargoPermission } from '../../hooks/useKargoPermission';
import {
  APPROVAL_GATE,
  ApprovalRequestSummary,
  newestRequest,
  RequestApproval,
} from '../Approvals';
import { errorMessage } from '../KargoActions';
import {
  candidatesFor,
  currentFreightFor,
  diffFreight,
  promotionWarnings,
} from './promotionPlan';

const useStyles = makeStyles(theme => ({
  unchanged: { color: theme.palette.text.secondary },
  changed: { fontWeight: 'bold' },
  mono: { fontFamily: 'monospace' },
  warnings: { marginTop: theme.spacing(2), display: 'grid', gap: 8 },
}));

/**
 * The override permissions the user holds on the stage, by name, for the overridable outcomes:
 * the outcome names its permission, so the dialog knows no gate by name.
 */
function useOverridePermissions(
  outcomes: KargoGateOutcome[],
  stageRef: string | undefined,
): { loading: boolean; allowed: Set<string> } {
  const permissionApi = useApi(permissionApiRef);
  const names = [
    ...new Set(
      outcomes.flatMap(o =>
        o.overridable && o.overridePermission ? [o.overridePermission] : [],
      ),
    ),
  ].sort();
  const { loading, value } = useAsync(async () => {
    const allowed = new Set<string>();
    if (!stageRef) return allowed;
    for (const name of names) {
      const permission = kargoStagePermissions.find(p => p.name === name);
      if (!permission) continue;
      const decision = await permissionApi.authorize({
        permission,
        resourceRef: stageRef,
      });
      if (decision.result === AuthorizeResult.ALLOW) allowed.add(name);
    }
    return allowed;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [permissionApi, stageRef, names.join(',')]);
  return { loading, allowed: value ?? new Set() };
}

/** A key per dialog opening: a double submit or a retried request promotes once. */
function newIdempotencyKey(): string {
  const random =
    globalThis.crypto?.randomUUID?.() ??
    `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `kargo-ui-${random}`;
}

export interface PromoteDialogProps {
  view: KargoProjectView;
  /** The stage to promote into; the dialog is open while it is set. */
  stage?: StageView;
  /** Preselected freight; otherwise the newest available one. */
  freightName?: string;
  onClose(): void;
}

/**
 * Promote freight into a stage: what changes (images, commits, charts against what the stage
 * runs now), what to watch out for, and a confirmation. The new promotion then shows up live.
 */
export function PromoteDialog(props: PromoteDialogProps) {
  const { view, stage, onClose } = props;
  const kargoDenied = view.kargoAccess?.denied.promote;
  const classes = useStyles();
  const kargoApi = useApi(kargoApiRef);
  const alertApi = useApi(alertApiRef);
  const candidates = useMemo(
    () => (stage ? candidatesFor(view, stage, Date.now()) : []),
    [view, stage],
  );
  const [selected, setSelected] = useState<string>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();
  /** Gates whose outcome the user confirmed or chose to override. */
  const [accepted, setAccepted] = useState<string[]>([]);
  // One key per opening and choice: pressing Promote again after an error retries the same
  // request, which the backend answers with the first Promotion instead of a second one.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const choose = (name?: string) => {
    setSelected(name);
    setAccepted([]);
    setIdempotencyKey(newIdempotencyKey());
  };

  // Choose when the dialog opens, not on every live update of the view.
  const stageName = stage?.name;
  useEffect(() => {
    if (!stage) return;
    setError(undefined);
    choose(
      props.freightName ??
        candidates.find(c => c.available)?.freight.name ??
        candidates[0]?.freight.name,
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stageName, props.freightName]);

  // The view's copy of the freight's approval request: a vote (a live update) changes it, and
  // the gates and the request are asked again, so Promote opens once it is Approved.
  const approval =
    stage && selected
      ? newestRequest(view.approvals?.requests, stage.name, selected)
      : undefined;
  const [requested, setRequested] = useState<string>();
  const approvalRevision = `${approval?.id}:${approval?.state}:${approval?.votes.length}:${requested}`;

  // What the backend's gates (freeze, verdict, modules') say; the dialog asks for what they need.
  const gates = useAsync(
    async () =>
      stage && selected
        ? kargoApi.getPromotionGates(
            { instance: view.instance, project: view.project },
            stage.name,
            selected,
          )
        : [],
    [
      kargoApi,
      view.instance,
      view.project,
      stage?.name,
      selected,
      approvalRevision,
    ],
  );
  const outcomes: KargoGateOutcome[] = gates.value ?? [];
  const stopping = outcomes.filter(g => g.result !== 'allow');
  const toggle = (gate: string) =>
    setAccepted(a =>
      a.includes(gate) ? a.filter(g => g !== gate) : [...a, gate],
    );
  const overrides = useOverridePermissions(
    stopping,
    stage
      ? kargoStageResourceRef(view.instance, view.project, stage.name)
      : undefined,
  );
  /** What the user can tick to get past the outcome, if anything. */
  const acceptance = (g: KargoGateOutcome) => {
    if (g.needsConfirmation) return 'confirm';
    if (
      g.overridable &&
      g.overridePermission &&
      overrides.allowed.has(g.overridePermission)
    ) {
      return 'override';
    }
    return undefined;
  };
  const gatesBlock = stopping.some(
    g => !acceptance(g) || !accepted.includes(g.gate),
  );

  const permission = useKargoPermission(
    kargoFreightPromotePermission,
    stage
      ? [kargoStageResourceRef(view.instance, view.project, stage.name)]
      : [],
  );

  const chosen = candidates.find(c => c.freight.name === selected);
  const candidate = chosen?.freight;
  const current =
    stage && candidate ? currentFreightFor(view, stage, candidate) : {};
  const changes = candidate ? diffFreight(current.freight, candidate) : [];
  const warnings =
    stage && chosen ? promotionWarnings(view, stage, chosen) : [];
  const blocked = warnings.some(w => w.severity === 'error');

  const submit = async () => {
    if (!stage || !candidate) return;
    setSubmitting(true);
    setError(undefined);
    try {
      const created = await kargoApi.promote(
        { instance: view.instance, project: view.project },
        stage.name,
        { freight: candidate.name },
        {
          idempotencyKey,
          confirm: stopping
            .filter(g => g.needsConfirmation && accepted.includes(g.gate))
            .map(g => g.gate),
          override: stopping
            .filter(g => g.overridable && accepted.includes(g.gate))
            .map(g => g.gate),
        },
      );
      // A stage that selects Targets answers a PromotionRequest (Kargo after v1.11.2).
      const what = isPromotionRequest(created)
        ? `Promotion request ${created.metadata?.name} (to ${
            created.spec.targets.length
          } target${created.spec.targets.length === 1 ? '' : 's'})`
        : `Promotion ${created.metadata?.name}`;
      alertApi.post({
        message: `${what} of ${freightVersion(candidate)} into ${
          stage.name
        } started`,
        severity: 'success',
        display: 'transient',
      });
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open={Boolean(stage)}
      onClose={onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="kargo-promote-title"
    >
      <DialogTitle id="kargo-promote-title">
        Promote to {stage?.name}
      </DialogTitle>
      <DialogContent>
        {candidates.length === 0 ? (
          <Typography>
            No freight from the warehouses this stage takes from.
          </Typography>
        ) : (
          <FormControl fullWidth>
            <InputLabel id="kargo-promote-freight">Freight</InputLabel>
            <Select
              labelId="kargo-promote-freight"
              value={selected ?? ''}
              onChange={e => choose(e.target.value as string)}
            >
              {candidates.map(({ freight: f, available }) => (
                <MenuItem key={f.name} value={f.name}>
                  {freightVersion(f)} · {freightTitle(f)} · {f.origin.name}
                  {available ? '' : ' (not available)'}
                </MenuItem>
              ))}
            </Select>
          </FormControl>
        )}
        {candidate && (
          <Table size="small" aria-label="What changes">
            <TableHead>
              <TableRow>
                <TableCell>Artifact</TableCell>
                <TableCell>{stage?.name} runs now</TableCell>
                <TableCell>After the promotion</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {changes.map(c => (
                <TableRow
                  key={`${c.kind} ${c.source}`}
                  className={c.changed ? classes.changed : classes.unchanged}
                >
                  <TableCell>
                    {c.kind} {c.source}
                  </TableCell>
                  <TableCell className={classes.mono}>
                    {c.from ?? (current.name ? '—' : 'nothing yet')}
                  </TableCell>
                  <TableCell>
                    <span className={classes.mono}>
                      {c.to ?? 'removed'}
                      {c.changed ? '' : ' (unchanged)'}
                    </span>
                    {c.detail && c.changed && (
                      <Typography variant="body2" color="textSecondary">
                        {c.detail}
                      </Typography>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {current.name && !current.freight && (
          <Typography variant="body2" color="textSecondary">
            The stage runs older freight ({current.name.slice(0, 7)}) than the
            timeline shows.
          </Typography>
        )}
        <div className={classes.warnings}>
          {warnings.map(w => (
            <Alert key={w.message} severity={w.severity}>
              {w.message}
            </Alert>
          ))}
          {!permission.loading && !permission.allowed && (
            <Alert severity="error">
              You are not allowed to promote into {stage?.name} (
              {kargoFreightPromotePermission.name}).
            </Alert>
          )}
          {gates.error && (
            <Alert severity="error">
              Could not ask the promotion gates: {errorMessage(gates.error)}
            </Alert>
          )}
          {stopping.map(g => (
            <Alert
              key={`${g.gate}-${g.stage}`}
              severity={g.result === 'deny' ? 'error' : 'warning'}
            >
              {g.reason}
              {acceptance(g) && (
                <FormControlLabel
                  control={
                    <Checkbox
                      checked={accepted.includes(g.gate)}
                      onChange={() => toggle(g.gate)}
                    />
                  }
                  label={
                    acceptance(g) === 'confirm'
                      ? 'I have read this and promote anyway'
                      : `Override the ${g.gate} gate (recorded in the audit log)`
                  }
                />
              )}
              {g.gate === APPROVAL_GATE && g.result === 'deny' && selected && (
                <RequestApproval
                  projectRef={{
                    instance: view.instance,
                    project: view.project,
                  }}
                  stage={g.stage}
                  freight={selected}
                  revision={approvalRevision}
                  allowed={permission.allowed}
                  onRequested={r => setRequested(r.id)}
                />
              )}
            </Alert>
          ))}
          {approval?.state === 'Approved' &&
            !stopping.some(g => g.gate === APPROVAL_GATE) && (
              <Alert severity="success">
                Approved for {stage?.name}
                <ApprovalRequestSummary request={approval} />
              </Alert>
            )}
          {kargoDenied && <Alert severity="error">{kargoDenied}</Alert>}
          {error && <Alert severity="error">{error}</Alert>}
        </div>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={
            !candidate ||
            blocked ||
            gates.loading ||
            Boolean(gates.error) ||
            overrides.loading ||
            gatesBlock ||
            submitting ||
            permission.loading ||
            !permission.allowed ||
            Boolean(kargoDenied)
          }
          onClick={submit}
        >
          {submitting ? 'Promoting…' : 'Promote'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
