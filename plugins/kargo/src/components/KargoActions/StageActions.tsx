import { useApi } from '@backstage/core-plugin-api';
import {
  kargoFreightPromotePermission,
  kargoPromotionAbortPermission,
  kargoStageRefreshPermission,
  kargoStageResourceRef,
  kargoStageReverifyPermission,
  TERMINAL_VERIFICATION_PHASES,
} from '@kargo-backstage/plugin-kargo-common';
import type {
  KargoProjectView,
  StageView,
} from '@kargo-backstage/plugin-kargo-common';
import Box from '@material-ui/core/Box';
import { kargoApiRef } from '../../api';
import { KargoActionButton } from './KargoActionButton';

export interface StageActionsProps {
  view: KargoProjectView;
  stage: StageView;
  /** Opens the promote dialog for this stage. */
  onPromote(): void;
}

/** Stages that take freight from `stage` (for "promote downstream"). */
function downstreamOf(view: KargoProjectView, stage: StageView): string[] {
  return view.stages
    .filter(s => s.requestedFreight.some(r => r.stages.includes(stage.name)))
    .map(s => s.name);
}

/** What a user can do to a stage, each button checked against the permission policy. */
export function StageActions(props: StageActionsProps) {
  const { view, stage } = props;
  const kargoApi = useApi(kargoApiRef);
  const denied = view.kargoAccess?.denied ?? {};
  const ref = { instance: view.instance, project: view.project };
  const stageRef = (name: string) =>
    kargoStageResourceRef(view.instance, view.project, name);
  const own = [stageRef(stage.name)];
  const downstream = downstreamOf(view, stage);
  const current = Object.values(stage.currentFreight);
  const currentFreight = view.freight.find(f => f.name === current[0]);
  const verification = stage.verification;
  const verificationRunning =
    verification &&
    !(TERMINAL_VERIFICATION_PHASES as readonly string[]).includes(
      verification.phase ?? '',
    );

  let downstreamReason: string | undefined;
  if (!downstream.length) downstreamReason = 'No stage takes freight from here';
  else if (current.length !== 1)
    downstreamReason = 'The stage runs no single piece of freight';
  else if (!currentFreight || !(stage.name in currentFreight.verifiedIn))
    downstreamReason = `Its freight is not verified in ${stage.name} yet`;

  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 8 }} marginY={2}>
      <KargoActionButton
        permission={kargoFreightPromotePermission}
        resourceRefs={own}
        variant="contained"
        onClick={props.onPromote}
        kargoDenied={denied.promote}
        unavailableReason={
          stage.controlFlow
            ? 'Freight passes through this stage from upstream'
            : undefined
        }
      >
        Promote…
      </KargoActionButton>
      <KargoActionButton
        permission={kargoFreightPromotePermission}
        resourceRefs={downstream.map(stageRef)}
        unavailableReason={downstreamReason}
        kargoDenied={denied.promote}
        successMessage={`Promoting into ${downstream.join(', ')}`}
        onClick={() =>
          kargoApi.promoteDownstream(ref, stage.name, {
            freight: current[0],
          })
        }
      >
        Promote downstream
      </KargoActionButton>
      <KargoActionButton
        permission={kargoStageRefreshPermission}
        resourceRefs={own}
        successMessage={`Refresh of ${stage.name} requested`}
        onClick={() => kargoApi.refreshStage(ref, stage.name)}
      >
        Refresh
      </KargoActionButton>
      <KargoActionButton
        permission={kargoStageReverifyPermission}
        resourceRefs={own}
        unavailableReason={
          verification ? undefined : 'No verification for the current freight'
        }
        kargoDenied={denied.reverify}
        successMessage={`Verification of ${stage.name} restarted`}
        onClick={() => kargoApi.reverify(ref, stage.name)}
      >
        Re-verify
      </KargoActionButton>
      {verificationRunning && (
        <KargoActionButton
          permission={kargoStageReverifyPermission}
          resourceRefs={own}
          color="secondary"
          kargoDenied={denied.reverify}
          successMessage={`Verification of ${stage.name} aborted`}
          onClick={() => kargoApi.abortVerification(ref, stage.name)}
        >
          Abort verification
        </KargoActionButton>
      )}
      {stage.currentPromotion && (
        <KargoActionButton
          permission={kargoPromotionAbortPermission}
          resourceRefs={own}
          color="secondary"
          kargoDenied={denied.abortPromotion}
          successMessage={`Promotion ${stage.currentPromotion} aborted`}
          onClick={() => kargoApi.abortPromotion(ref, stage.currentPromotion!)}
        >
          Abort promotion
        </KargoActionButton>
      )}
    </Box>
  );
}
