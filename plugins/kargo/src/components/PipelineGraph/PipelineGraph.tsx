import {
  DependencyGraph,
  DependencyGraphTypes,
} from '@backstage/core-components';
import type {
  KargoProjectView,
  StageView,
} from '@kargo-backstage/plugin-kargo-common';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { useMemo, useRef, useState } from 'react';
import useMeasure from 'react-use/esm/useMeasure';
import { stageColor } from '../../freightLabels';
import { pendingApprovals } from '../Approvals';
import { collapseFreightlines, freightlines } from './freightlines';
import { FreightlineNode } from './FreightlineNode';
import { GraphControls, ZoomStep } from './GraphControls';
import { choosePipelineLayout, pipelineExtent } from './pipelineLayout';
import { pipelineModel, PipelineNode } from './pipelineModel';
import { StageNode } from './StageNode';
import { useFreightlineCollapse } from './useFreightlineCollapse';
import { StageTarget, useScrollToStage } from './useScrollToStage';
import { WarehouseNode } from './WarehouseNode';

const SIZE = {
  stage: { width: 240, height: 120 },
  warehouse: { width: 240, height: 68 },
  freightline: { width: 240, height: 104 },
};
const SPACING = { nodeMargin: 24, rankMargin: 48, padding: 8 };
const sizeOf = (node: PipelineNode) => SIZE[node.kind];
/**
 * The smallest scale the graph is drawn at on its own: node text is 13 px or more in CSS, so at
 * least 11.7 px on screen. A pipeline too long for the width at this scale is drawn top to
 * bottom, and one too big either way scrolls sideways. Zooming out goes below it on purpose.
 */
const MIN_SCALE = 0.9;
const ZOOM = { step: 1.25, min: 0.1, max: 2 };

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
  muted: { color: theme.palette.text.secondary },
}));

export interface PipelineGraphProps {
  view: KargoProjectView;
  warehouseFilter: string[];
  onSelectStage(stage: StageView): void;
}

/**
 * The pipeline as a graph (dagre layout through Backstage's DependencyGraph), with its
 * freightlines collapsible, a "Find stage" field and zoom, for projects of hundreds of stages.
 */
export function PipelineGraph(props: PipelineGraphProps) {
  const { view, warehouseFilter, onSelectStage } = props;
  const classes = useStyles();
  const model = useMemo(
    () => pipelineModel(view, warehouseFilter),
    [view, warehouseFilter],
  );
  const lines = useMemo(() => freightlines(model), [model]);
  const collapse = useFreightlineCollapse(model, lines);
  const { nodes, edges } = useMemo(
    () => collapseFreightlines(model, collapse.isCollapsed),
    [model, collapse.isCollapsed],
  );
  const freight = useMemo(
    () => new Map(view.freight.map(f => [f.name, f])),
    [view.freight],
  );
  const pending = useMemo(() => pendingApprovals(view), [view]);
  const promotions = useMemo(
    () => new Map(view.promotions.map(p => [p.name, p])),
    [view.promotions],
  );
  const colors = useMemo(() => {
    const names = view.stages.map(s => s.name);
    return new Map(names.map(s => [s, stageColor(names, s)]));
  }, [view.stages]);
  const stageNames = useMemo(
    () => model.nodes.filter(n => n.kind === 'stage').map(n => n.name),
    [model],
  );

  const [measureRef, { width: available }] = useMeasure<HTMLDivElement>();
  const extents = useMemo(
    () => ({
      LR: pipelineExtent(nodes, edges, sizeOf, 'LR', SPACING),
      TB: pipelineExtent(nodes, edges, sizeOf, 'TB', SPACING),
    }),
    [nodes, edges],
  );
  const layout = choosePipelineLayout(available, extents, MIN_SCALE);
  // Undefined: the scale the layout chose; a number once the user zooms.
  const [zoom, setZoom] = useState<number>();
  const scale = zoom ?? layout.scale;
  const extent = extents[layout.direction];
  // The whole graph in the card's width and most of the window's height.
  const fitScale = () =>
    Math.min(
      1,
      available > 0 ? available / extent.width : 1,
      (window.innerHeight * 0.8) / extent.height,
    );
  const onZoom = (step: ZoomStep) => {
    const next: Partial<Record<ZoomStep, number>> = {
      in: scale * ZOOM.step,
      out: scale / ZOOM.step,
    };
    const to = next[step] ?? fitScale();
    setZoom(Math.min(ZOOM.max, Math.max(ZOOM.min, to)));
  };

  const root = useRef<HTMLDivElement | null>(null);
  // The stage to scroll to and focus, and the one found with "Find stage" (highlighted).
  const [target, setTarget] = useState<StageTarget>();
  const [found, setFound] = useState<string>();
  useScrollToStage(root, target);
  const goTo = (stage: string) => setTarget({ name: stage, at: Date.now() });
  const onFind = (stage: string | undefined) => {
    if (stage) {
      collapse.reveal(stage);
      goTo(stage);
    }
    setFound(stage);
  };
  // The expanded freightline may be laid out elsewhere, and its node, which had the focus, is
  // gone: its first stage takes the focus, in view.
  const onExpand = (warehouse: string) => {
    collapse.toggle(warehouse);
    const first = lines.get(warehouse)?.[0];
    if (first) goTo(first.name);
  };

  const renderNode = ({
    node,
  }: DependencyGraphTypes.RenderNodeProps<PipelineNode>) => (
    <foreignObject width={sizeOf(node).width} height={sizeOf(node).height}>
      {node.kind === 'stage' && (
        <StageNode
          stage={node.stage}
          freight={freight}
          promotions={promotions}
          color={colors.get(node.name) ?? ''}
          found={found === node.name}
          pendingApprovals={pending.get(node.name)}
          onSelect={onSelectStage}
        />
      )}
      {node.kind === 'warehouse' && (
        <WarehouseNode
          name={node.name}
          warehouse={view.warehouses.find(w => w.name === node.name)}
          collapsed={
            lines.get(node.name)?.length
              ? collapse.isCollapsed(node.name)
              : undefined
          }
          onToggle={() => collapse.toggle(node.name)}
        />
      )}
      {node.kind === 'freightline' && (
        <FreightlineNode
          warehouse={node.name}
          stages={node.stages}
          onExpand={() => onExpand(node.name)}
        />
      )}
    </foreignObject>
  );

  if (!nodes.length) {
    return (
      <Typography className={classes.muted}>
        No stages in this freightline.
      </Typography>
    );
  }
  return (
    <div ref={root}>
      <GraphControls
        project={view.project}
        stages={stageNames}
        onFind={onFind}
        scale={scale}
        onZoom={onZoom}
        freightlines={lines.size}
        onCollapseAll={collapse.setAll}
      />
      <div ref={measureRef} className={classes.viewport}>
        <div
          className={classes.canvas}
          style={{ width: extent.width * scale }}
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
    </div>
  );
}
