import type {
  KargoProjectView,
  StageView,
} from '@kargo-backstage/plugin-kargo-common';

export type PipelineNode =
  | { id: string; kind: 'warehouse'; name: string }
  | { id: string; kind: 'stage'; name: string; stage: StageView }
  /** A collapsed freightline: the stages fed from warehouse `name`, drawn as one node. */
  | { id: string; kind: 'freightline'; name: string; stages: StageView[] };

export interface PipelineEdge {
  from: string;
  to: string;
}

const warehouseId = (name: string) => `warehouse:${name}`;
const stageId = (name: string) => `stage:${name}`;

/**
 * The pipeline as a graph: warehouses feed the stages that take their freight directly; each
 * stage feeds the stages that name it as a source. Stages that request several origins (the
 * control-flow stages that merge freightlines) get an edge from each source. With a warehouse
 * filter only the freightlines of those warehouses remain.
 */
export function pipelineModel(
  view: Pick<KargoProjectView, 'stages' | 'warehouses'>,
  warehouseFilter: string[] = [],
): { nodes: PipelineNode[]; edges: PipelineEdge[] } {
  const keep = (origin: string) =>
    !warehouseFilter.length || warehouseFilter.includes(origin);
  const stages = view.stages.filter(s =>
    s.requestedFreight.some(r => keep(r.origin.name)),
  );
  const stageNames = new Set(stages.map(s => s.name));
  const warehouses = view.warehouses.filter(w => keep(w.name));
  const warehouseNames = new Set(warehouses.map(w => w.name));

  const nodes: PipelineNode[] = [
    ...warehouses.map(w => ({
      id: warehouseId(w.name),
      kind: 'warehouse' as const,
      name: w.name,
    })),
    ...stages.map(s => ({
      id: stageId(s.name),
      kind: 'stage' as const,
      name: s.name,
      stage: s,
    })),
  ];
  const edges = new Map<string, PipelineEdge>();
  for (const stage of stages) {
    for (const request of stage.requestedFreight) {
      if (!keep(request.origin.name)) continue;
      if (request.direct && warehouseNames.has(request.origin.name)) {
        const edge = {
          from: warehouseId(request.origin.name),
          to: stageId(stage.name),
        };
        edges.set(`${edge.from}>${edge.to}`, edge);
      }
      for (const upstream of request.stages) {
        if (!stageNames.has(upstream)) continue;
        const edge = { from: stageId(upstream), to: stageId(stage.name) };
        edges.set(`${edge.from}>${edge.to}`, edge);
      }
    }
  }
  return { nodes, edges: [...edges.values()] };
}
