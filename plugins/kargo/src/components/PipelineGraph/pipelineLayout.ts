import type { PipelineEdge, PipelineNode } from './pipelineModel';

export interface Size {
  width: number;
  height: number;
}

export interface LayoutSpacing {
  /** Between nodes of one rank (dagre's nodesep). */
  nodeMargin: number;
  /** Between ranks (dagre's ranksep). */
  rankMargin: number;
  /** Around the graph (dagre's marginx / marginy). */
  padding: number;
}

export type PipelineDirection = 'LR' | 'TB';

/**
 * The size dagre gives the pipeline laid out in `direction`, estimated without laying it out:
 * ranks by longest path from the warehouses (the number of ranks dagre uses for a DAG), each
 * rank as long as its longest node and as wide as its nodes side by side. Dagre may place a
 * node one rank later or route an edge beside a rank, so this is an estimate, not a bound.
 */
export function pipelineExtent(
  nodes: PipelineNode[],
  edges: PipelineEdge[],
  sizeOf: (node: PipelineNode) => Size,
  direction: PipelineDirection,
  spacing: LayoutSpacing,
): Size {
  if (!nodes.length) return { width: 0, height: 0 };
  const upstream = new Map<string, string[]>();
  for (const e of edges) {
    upstream.set(e.to, [...(upstream.get(e.to) ?? []), e.from]);
  }
  const rank = new Map<string, number>();
  const rankOf = (id: string, path: Set<string>): number => {
    const known = rank.get(id);
    if (known !== undefined) return known;
    // A cycle (Kargo forbids them) counts as a source rather than recursing forever.
    if (path.has(id)) return 0;
    path.add(id);
    const r = Math.max(
      0,
      ...(upstream.get(id) ?? []).map(u => rankOf(u, path) + 1),
    );
    path.delete(id);
    rank.set(id, r);
    return r;
  };
  const ranks: PipelineNode[][] = [];
  for (const node of nodes) {
    const r = rankOf(node.id, new Set());
    (ranks[r] ??= []).push(node);
  }
  const along = (s: Size) => (direction === 'LR' ? s.width : s.height);
  const across = (s: Size) => (direction === 'LR' ? s.height : s.width);
  const filled = ranks.filter(r => r?.length);
  const length =
    filled.reduce(
      (sum, r) => sum + Math.max(...r.map(n => along(sizeOf(n)))),
      0,
    ) +
    (filled.length - 1) * spacing.rankMargin;
  const breadth = Math.max(
    ...filled.map(
      r =>
        r.reduce((sum, n) => sum + across(sizeOf(n)), 0) +
        (r.length - 1) * spacing.nodeMargin,
    ),
  );
  const pad = 2 * spacing.padding;
  return direction === 'LR'
    ? { width: length + pad, height: breadth + pad }
    : { width: breadth + pad, height: length + pad };
}

export interface PipelineLayout {
  direction: PipelineDirection;
  /** How wide to draw the graph, in CSS pixels; wider than `available` means it scrolls. */
  width: number;
  /** The graph's scale on screen (1 = node text at its CSS size). */
  scale: number;
}

/**
 * Left to right, as Kargo draws it, when that fits the width at `minScale` or more; else top to
 * bottom (freightlines side by side, stages down the page) when that fits; else whichever
 * needs less room, at `minScale`, scrolling sideways. Never scaled up: a small graph keeps its
 * size rather than growing to the card's width.
 */
export function choosePipelineLayout(
  available: number,
  extents: Record<PipelineDirection, Size>,
  minScale: number,
): PipelineLayout {
  const fit = (direction: PipelineDirection): PipelineLayout => {
    const natural = extents[direction].width;
    const scale = Math.min(1, available / natural);
    return { direction, width: natural * scale, scale };
  };
  if (!(available > 0)) {
    // Not measured (yet, or no layout at all, as in jsdom): as wide as left to right needs.
    return { direction: 'LR', width: extents.LR.width, scale: 1 };
  }
  for (const direction of ['LR', 'TB'] as const) {
    const layout = fit(direction);
    if (layout.scale >= minScale) return layout;
  }
  const direction = extents.LR.width <= extents.TB.width ? 'LR' : 'TB';
  return {
    direction,
    width: extents[direction].width * minScale,
    scale: minScale,
  };
}
