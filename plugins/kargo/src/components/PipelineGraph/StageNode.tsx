import type {
  FreightView,
  PromotionView,
  StageView,
} from '@kargo-backstage/plugin-kargo-common';
import { freightTitle, freightVersion } from '../../freightLabels';
import { pendingLabel } from '../Approvals';
import { KargoStatus } from '../KargoStatus';
import { SafeLink } from '../SafeLink';
import { freezeLabel } from '../StageFreeze';
import { useNodeStyles } from './graphStyles';

export interface StageNodeProps {
  stage: StageView;
  freight: Map<string, FreightView>;
  promotions: Map<string, PromotionView>;
  color: string;
  /** The stage "Find stage" went to: drawn highlighted. */
  found?: boolean;
  /** Approval requests waiting for votes on promotions into the stage. */
  pendingApprovals?: number;
  onSelect(stage: StageView): void;
}

/** A stage: current freight, freeze, health, verification and a running promotion. */
export function StageNode(props: StageNodeProps) {
  const { stage, freight, promotions, color, found, onSelect } = props;
  const pending = props.pendingApprovals ?? 0;
  const classes = useNodeStyles();
  const current = Object.values(stage.currentFreight).map(
    name =>
      freight.get(name) ??
      ({
        name,
        images: [],
        commits: [],
        charts: [],
      } as unknown as FreightView),
  );
  const running = stage.currentPromotion
    ? promotions.get(stage.currentPromotion)
    : undefined;
  const done = running?.steps.filter(s => s.status === 'Succeeded').length ?? 0;
  const freeze = freezeLabel(stage.promotionWindow);
  return (
    <div
      className={`${classes.node} ${found ? classes.found : ''}`}
      style={{ borderLeftColor: color }}
      role="button"
      tabIndex={0}
      aria-label={`Stage ${stage.name}`}
      aria-current={found ? 'true' : undefined}
      data-stage={stage.name}
      onClick={() => onSelect(stage)}
      onKeyDown={e => (e.key === 'Enter' || e.key === ' ') && onSelect(stage)}
    >
      <div className={classes.title}>
        <span className={classes.line}>{stage.name}</span>
        {pending > 0 && (
          <span className={classes.tag} title={pendingLabel(pending)}>
            ✋ {pendingLabel(pending)}
          </span>
        )}
        {stage.autoPromotionEnabled && (
          <span className={classes.tag}>auto</span>
        )}
      </div>
      {freeze && (
        <div
          className={classes.line}
          style={{
            color: stage.promotionWindow?.open ? undefined : '#d32f2f',
          }}
        >
          ❄ {freeze}
        </div>
      )}
      {stage.controlFlow ? (
        <div className={classes.muted}>control flow: merges freightlines</div>
      ) : (
        <div className={classes.line}>
          {current.length
            ? current
                .map(f => `${freightTitle(f)} · ${freightVersion(f)}`)
                .join(', ')
            : 'no freight yet'}
        </div>
      )}
      <div className={classes.line}>
        <KargoStatus phase={stage.health} />{' '}
        {stage.verification && (
          <KargoStatus
            phase={stage.verification.phase}
            label={`verification ${stage.verification.phase}`}
          />
        )}
      </div>
      {running && (
        <div className={classes.line}>
          <KargoStatus
            phase={running.phase}
            label={`promoting ${done}/${running.steps.length}`}
          />{' '}
          {running.pullRequestUrl && (
            <SafeLink
              to={running.pullRequestUrl}
              onClick={e => e.stopPropagation()}
            >
              PR
            </SafeLink>
          )}
        </div>
      )}
    </div>
  );
}
