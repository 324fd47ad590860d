import {
  DependencyGraph,
  DependencyGraphTypes,
} from '@backstage/core-components';
import type {
  FreightView,
  KargoProjectView,
  PromotionView,
  StageView,
} from '@kargo-backstage/plugin-kargo-common';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { useMemo } from 'react';
import { freightTitle, freightVersion, stageColor } from '../../freightLabels';
import { KargoStatus } from '../KargoStatus';
import { freezeLabel } from '../StageFreeze';
import { SafeLink } from '../SafeLink';
import { pipelineModel, PipelineNode } from './pipelineModel';

const STAGE = { width: 250, height: 112 };
const WAREHOUSE = { width: 210, height: 64 };

const useStyles = makeStyles(theme => ({
  node: {
    boxSizing: 'border-box',
    height: '100%',
    padding: theme.spacing(1),
    borderRadius: theme.shape.borderRadius,
    border: `1px solid ${theme.palette.divider}`,
    borderLeftWidth: 6,
    background: theme.palette.background.paper,
    color: theme.palette.text.primary,
    fontSize: 12,
    overflow: 'hidden',
    cursor: 'pointer',
    '&:focus': { outline: `2px solid ${theme.palette.primary.main}` },
  },
  warehouse: {
    background: theme.palette.background.default,
    cursor: 'default',
  },
  title: {
    fontWeight: 600,
    fontSize: 14,
    display: 'flex',
    justifyContent: 'space-between',
  },
  muted: { color: theme.palette.text.secondary },
  line: { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' },
}));

function subscriptionSummary(subscription: Record<string, any>): string {
  const [kind, spec] = Object.entries(subscription)[0] ?? [];
  if (!spec) return '';
  const filter =
    spec.constraint ??
    spec.semverConstraint ??
    spec.branch ??
    spec.allowTags ??
    '';
  return `${kind}: ${spec.repoURL}${spec.name ? `/${spec.name}` : ''}${
    filter ? ` (${filter})` : ''
  }`;
}

export interface PipelineGraphProps {
  view: KargoProjectView;
  warehouseFilter: string[];
  onSelectStage(stage: StageView): void;
}

/** The pipeline as a graph (dagre layout through Backstage's DependencyGraph). */
export function PipelineGraph(props: PipelineGraphProps) {
  const { view, warehouseFilter, onSelectStage } = props;
  const classes = useStyles();
  const { nodes, edges } = useMemo(
    () => pipelineModel(view, warehouseFilter),
    [view, warehouseFilter],
  );
  const freight = useMemo(
    () => new Map(view.freight.map(f => [f.name, f])),
    [view.freight],
  );
  const promotions = useMemo(
    () => new Map(view.promotions.map(p => [p.name, p])),
    [view.promotions],
  );
  const stageNames = view.stages.map(s => s.name);

  const renderStage = (stage: StageView) => {
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
    const running: PromotionView | undefined = stage.currentPromotion
      ? promotions.get(stage.currentPromotion)
      : undefined;
    const done =
      running?.steps.filter(s => s.status === 'Succeeded').length ?? 0;
    return (
      <div
        className={classes.node}
        style={{ borderLeftColor: stageColor(stageNames, stage.name) }}
        role="button"
        tabIndex={0}
        aria-label={`Stage ${stage.name}`}
        onClick={() => onSelectStage(stage)}
        onKeyDown={e =>
          (e.key === 'Enter' || e.key === ' ') && onSelectStage(stage)
        }
      >
        <div className={classes.title}>
          <span>{stage.name}</span>
          {stage.autoPromotionEnabled && (
            <span className={classes.muted}>auto</span>
          )}
        </div>
        {freezeLabel(stage.promotionWindow) && (
          <div
            className={classes.line}
            style={{
              color: stage.promotionWindow?.open ? undefined : '#d32f2f',
            }}
          >
            ❄ {freezeLabel(stage.promotionWindow)}
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
  };

  const renderNode = ({
    node,
  }: DependencyGraphTypes.RenderNodeProps<PipelineNode>) => {
    const size = node.kind === 'stage' ? STAGE : WAREHOUSE;
    const warehouse =
      node.kind === 'warehouse'
        ? view.warehouses.find(w => w.name === node.name)
        : undefined;
    return (
      <foreignObject width={size.width} height={size.height} x={0} y={0}>
        {node.kind === 'stage' ? (
          renderStage(node.stage)
        ) : (
          <div className={`${classes.node} ${classes.warehouse}`}>
            <div className={classes.title}>
              <span>{node.name}</span>
              <span className={classes.muted}>warehouse</span>
            </div>
            {warehouse?.subscriptions.slice(0, 2).map((s, i) => (
              <div key={i} className={`${classes.line} ${classes.muted}`}>
                {subscriptionSummary(s)}
              </div>
            ))}
          </div>
        )}
      </foreignObject>
    );
  };

  if (!nodes.length) {
    return (
      <Typography className={classes.muted}>
        No stages in this freightline.
      </Typography>
    );
  }
  return (
    <DependencyGraph<PipelineNode, {}>
      nodes={nodes}
      edges={edges}
      renderNode={renderNode}
      direction={DependencyGraphTypes.Direction.LEFT_RIGHT}
      rankMargin={60}
      nodeMargin={24}
      paddingX={8}
      paddingY={8}
      zoom="enable-on-click"
      fit="contain"
    />
  );
}
