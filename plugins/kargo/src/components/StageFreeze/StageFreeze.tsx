import { useApi } from '@backstage/core-plugin-api';
import {
  kargoFreezeManagePermission,
  kargoProjectResourceRef,
} from '@kargo-backstage/plugin-kargo-common';
import type {
  KargoProjectView,
  PromotionWindowState,
  StageView,
} from '@kargo-backstage/plugin-kargo-common';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { kargoApiRef } from '../../api';
import { FlexRow } from '../FlexRow';
import { KargoActionButton } from '../KargoActions';
import { LINE_STOP_WINDOW } from '../LineStop/lineStopWindow';

const DAY_MS = 24 * 60 * 60 * 1000;

/** "frozen until …", "freezes at …" (within a day), or nothing. */
export function freezeLabel(state?: PromotionWindowState): string | undefined {
  if (!state) return undefined;
  const when = state.nextChange
    ? new Date(state.nextChange).toLocaleString()
    : undefined;
  if (!state.open) {
    // A window the backend cannot evaluate closes the stage; say why (the problem).
    const why = state.closedBy
      .map(w => (w.problem ? `${w.name}: ${w.problem}` : w.reason ?? w.name))
      .join(', ');
    return `Frozen${why ? ` (${why})` : ''}${when ? ` until ${when}` : ''}`;
  }
  if (state.nextChange && Date.parse(state.nextChange) - Date.now() < DAY_MS) {
    return `Freezes at ${when}`;
  }
  return undefined;
}

/** A local datetime-local value, a day from now. */
function tomorrow(): string {
  const d = new Date(
    Date.now() + DAY_MS - new Date().getTimezoneOffset() * 60000,
  );
  return d.toISOString().slice(0, 16);
}

/** The stage's freeze state, and freezing it now or ending the windows that close it. */
export function StageFreeze(props: {
  view: KargoProjectView;
  stage: StageView;
}) {
  const { view, stage } = props;
  const kargoApi = useApi(kargoApiRef);
  const ref = { instance: view.instance, project: view.project };
  const refs = [kargoProjectResourceRef(view.instance, view.project)];
  const [until, setUntil] = useState(tomorrow);
  const [reason, setReason] = useState('');
  const state = stage.promotionWindow;
  const label = freezeLabel(state);
  // The freezer holds auto-promotion off by writing the ProjectConfig with the portal's token.
  const cannotHold = view.kargoAccess?.denied.holdAutoPromotion;

  return (
    <div>
      <Typography variant="h6">Freeze</Typography>
      {label ? (
        <Alert severity={state?.open ? 'info' : 'warning'}>{label}</Alert>
      ) : (
        <Typography color="textSecondary">Open for promotion.</Typography>
      )}
      {state && !state.open && (
        <FlexRow wrap gap={8} marginY={1}>
          {state.closedBy
            .filter(w => w.kind === 'Deny' && w.name !== LINE_STOP_WINDOW)
            .map(w => (
              <KargoActionButton
                key={w.name}
                permission={kargoFreezeManagePermission}
                resourceRefs={refs}
                successMessage={`Window ${w.name} ended`}
                onClick={() => kargoApi.deletePromotionWindow(ref, w.name)}
              >
                End {w.name}
              </KargoActionButton>
            ))}
        </FlexRow>
      )}
      {cannotHold && (
        <Alert severity="info">
          A freeze stops promotions through the portal, but cannot hold Kargo's
          auto-promotion off: {cannotHold}
        </Alert>
      )}
      <FlexRow wrap alignItems="flex-end" gap={8} marginY={1}>
        <TextField
          id={`freeze-until-${stage.name}`}
          label="Freeze until"
          type="datetime-local"
          value={until}
          onChange={e => setUntil(e.target.value)}
          InputLabelProps={{ shrink: true }}
        />
        <TextField
          id={`freeze-reason-${stage.name}`}
          label="Reason"
          value={reason}
          onChange={e => setReason(e.target.value)}
        />
        <KargoActionButton
          permission={kargoFreezeManagePermission}
          resourceRefs={refs}
          unavailableReason={reason.trim() ? undefined : 'Say why'}
          successMessage={`${stage.name} frozen`}
          onClick={() =>
            kargoApi.createPromotionWindow(ref, {
              name: `freeze-${stage.name}-${Date.now().toString(36)}`.slice(
                0,
                63,
              ),
              kind: 'Deny',
              stageSelector: { name: stage.name },
              dtstart: new Date().toISOString(),
              dtend: new Date(until).toISOString(),
              reason: reason.trim(),
            })
          }
        >
          Freeze now
        </KargoActionButton>
      </FlexRow>
    </div>
  );
}
