import type { StageView } from '@kargo-backstage/plugin-kargo-common';
import { KargoStatus } from '../KargoStatus';
import { useNodeStyles } from './graphStyles';

/** Healths in the order a summary names them, worst first. */
const HEALTHS = ['Unhealthy', 'Progressing', 'Unknown', 'Healthy'];

/** How many stages of the freightline are in each health, promoting, and frozen. */
export function freightlineSummary(stages: StageView[]) {
  const health = new Map<string, number>();
  for (const s of stages) {
    if (!s.health || s.health === 'NotApplicable') continue;
    const h = HEALTHS.includes(s.health) ? s.health : 'Unknown';
    health.set(h, (health.get(h) ?? 0) + 1);
  }
  return {
    health: HEALTHS.filter(h => health.has(h)).map(h => ({
      phase: h,
      count: health.get(h)!,
    })),
    promoting: stages.filter(s => s.currentPromotion).length,
    frozen: stages.filter(s => s.promotionWindow && !s.promotionWindow.open)
      .length,
  };
}

export interface FreightlineNodeProps {
  /** The warehouse the freightline is fed from. */
  warehouse: string;
  stages: StageView[];
  onExpand(): void;
}

/** A collapsed freightline: its stage count and health at a glance; clicking shows its stages. */
export function FreightlineNode(props: FreightlineNodeProps) {
  const { warehouse, stages, onExpand } = props;
  const classes = useNodeStyles();
  const summary = freightlineSummary(stages);
  const count = `${stages.length} ${stages.length === 1 ? 'stage' : 'stages'}`;
  const busy = [
    summary.promoting && `${summary.promoting} promoting`,
    summary.frozen && `❄ ${summary.frozen} frozen`,
  ].filter(Boolean);
  return (
    <div
      className={`${classes.node} ${classes.freightline}`}
      role="button"
      tabIndex={0}
      aria-label={`Freightline ${warehouse}, ${count}, collapsed`}
      aria-expanded="false"
      onClick={onExpand}
      onKeyDown={e => (e.key === 'Enter' || e.key === ' ') && onExpand()}
    >
      <div className={classes.title}>
        <span className={classes.line}>{count}</span>
        <span className={classes.tag}>freightline</span>
      </div>
      <div className={classes.line}>
        {summary.health.map(h => (
          <KargoStatus
            key={h.phase}
            phase={h.phase}
            label={`${h.count} ${h.phase}`}
          />
        ))}
      </div>
      {busy.length > 0 && (
        <div className={classes.line}>{busy.join(' · ')}</div>
      )}
      <div className={`${classes.line} ${classes.muted}`}>
        from {warehouse} · show stages
      </div>
    </div>
  );
}
