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
import useMeasure from 'react-use/esm/useMeasure';
import { freightTitle, freightVersion, stageColor } from '../../freightLabels';
import { KargoStatus } from '../KargoStatus';
import { freezeLabel } from '../StageFreeze';
import { SafeLink } from '../SafeLink';
import { choosePipelineLayout, pipelineExtent } from './pipelineLayout';
import { pipelineModel, PipelineNode } from './pipelineModel';

const STAGE = { width: 240, height: 120 };
const WAREHOUSE = { width: 220, height: 68 };
const SPACING = { nodeMargin: 24, rankMargin: 48, padding: 8 };
const sizeOf = (node: PipelineNode) =>
  node.kind === 'stage' ? STAGE : WAREHOUSE;
/**
 * The smallest scale the graph is drawn at: node text is 13 px or more in CSS, so at least
 * 11.7 px on screen. A pipeline too long for the width at this scale is drawn top to bottom,
 * and one too big either way scrolls sideways.
 */
const MIN_SCALE = 0.9;

const useStyles = makeStyles(theme => ({
  viewport: {
    // The graph's full-screen button sits in this right-hand gutter, not over a stage.
    position: 'relative',
    boxSizing: 'border-box',
    width: '100%',
    paddingRight: theme.spacing(6),
    overflowX: 'auto',
  },
  canvas: { margin: '0 auto' },
  node: {
    boxSizing: 'border-box',
    height: '100%',
    padding: theme.spacing(1),
    borderRadius: theme.shape.borderRadius,
    border: `1px solid ${theme.palette.divider}`,
    borderLeftWidth: 6,
    background: theme.palette.background.paper,
    color: theme.palette.text.primary,
    fontSize: 13,
    lineHeight: 1.4,
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
    fontSize: 15,
    gap: theme.spacing(1),
    display: 'flex',
    justifyContent: 'space-between',
  },
  muted: { color: theme.palette.text.secondary },
  /** "auto", "warehouse": beside the name, which they leave the room to. */
  tag: {
    flexShrink: 0,
    fontSize: 13,
    fontWeight: 400,
    color: theme.palette.text.secondary,
  },
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
  const [measureRef, { width: available }] = useMeasure<HTMLDivElement>();
  const extents = useMemo(
    () => ({
      LR: pipelineExtent(nodes, edges, sizeOf, 'LR', SPACING),
      TB: pipelineExtent(nodes, edges, sizeOf, 'TB', SPACING),
    }),
    [nodes, edges],
  );
  const layout = choosePipelineLayout(available, extents, MIN_SCALE);

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
          <span className={classes.line}>{stage.name}</span>
          {stage.autoPromotionEnabled && (
            <span className={classes.tag}>auto</span>
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
    const size = sizeOf(node);
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
              <span className={classes.line}>{node.name}</span>
              <span className={classes.tag}>warehouse</span>
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
    <div ref={measureRef} className={classes.viewport}>
      <div
        className={classes.canvas}
        style={{ width: layout.width }}
        data-testid="pipeline-graph"
        data-direction={layout.direction}
      >
        <DependencyGraph<PipelineNode, {}>
          // A new direction is a new layout, not a transition from the old one.
          key={layout.direction}
          nodes={nodes}
          edges={edges}
          renderNode={renderNode}
          direction={
            layout.direction === 'LR'
              ? DependencyGraphTypes.Direction.LEFT_RIGHT
              : DependencyGraphTypes.Direction.TOP_BOTTOM
          }
          rankMargin={SPACING.rankMargin}
          nodeMargin={SPACING.nodeMargin}
          paddingX={SPACING.padding}
          paddingY={SPACING.padding}
          zoom="enable-on-click"
          fit="contain"
        />
      </div>
    </div>
  );
}
