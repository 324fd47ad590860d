import type { StageView } from '@kargo-backstage/plugin-kargo-common';
import type { PipelineEdge, PipelineNode } from './pipelineModel';

/** Above this many stages in the graph, freightlines start collapsed. */
export const COLLAPSE_ABOVE_STAGES = 50;

const freightlineId = (warehouse: string) => `freightline:${warehouse}`;

type Graph = { nodes: PipelineNode[]; edges: PipelineEdge[] };

const warehousesOf = (stage: StageView) => [
  ...new Set(stage.requestedFreight.map(r => r.origin.name)),
];

/**
 * The freightlines of the graph: for each of its warehouses, the stages that request freight
 * from it, directly or through other stages. A stage that merges freightlines is on several.
 */
export function freightlines(graph: Graph): Map<string, StageView[]> {
  const lines = new Map<string, StageView[]>();
  for (const node of graph.nodes) {
    if (node.kind === 'warehouse') lines.set(node.name, []);
  }
  for (const node of graph.nodes) {
    if (node.kind !== 'stage') continue;
    for (const warehouse of warehousesOf(node.stage)) {
      lines.get(warehouse)?.push(node.stage);
    }
  }
  return lines;
}

/**
 * The graph with each collapsed freightline drawn as one node in place of its stages. A stage
 * stays when any freightline it is on is expanded (a merge stage of an expanded line); the
 * edges of a hidden stage go to the node of its first freightline instead.
 */
export function collapseFreightlines(
  graph: Graph,
  collapsed: (warehouse: string) => boolean,
): Graph {
  const lines = freightlines(graph);
  const hiddenIn = new Map<string, string>();
  for (const node of graph.nodes) {
    if (node.kind !== 'stage') continue;
    const own = warehousesOf(node.stage).filter(w => lines.has(w));
    if (own.length && own.every(collapsed)) {
      hiddenIn.set(node.id, freightlineId(own[0]));
    }
  }
  if (!hiddenIn.size) return graph;

  const summaries = new Set(hiddenIn.values());
  const nodes: PipelineNode[] = [];
  for (const node of graph.nodes) {
    if (hiddenIn.has(node.id)) continue;
    nodes.push(node);
    const id = freightlineId(node.name);
    // Each summary right after its warehouse, so the layout keeps the freightlines' order.
    if (node.kind === 'warehouse' && summaries.has(id)) {
      nodes.push({
        id,
        kind: 'freightline',
        name: node.name,
        stages: lines.get(node.name) ?? [],
      });
    }
  }
  const edges = new Map<string, PipelineEdge>();
  for (const edge of graph.edges) {
    const from = hiddenIn.get(edge.from) ?? edge.from;
    const to = hiddenIn.get(edge.to) ?? edge.to;
    if (from !== to) edges.set(`${from}>${to}`, { from, to });
  }
  return { nodes, edges: [...edges.values()] };
}
