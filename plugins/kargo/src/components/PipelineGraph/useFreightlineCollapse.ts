import type { StageView } from '@kargo-backstage/plugin-kargo-common';
import { useCallback, useMemo, useState } from 'react';
import { COLLAPSE_ABOVE_STAGES } from './freightlines';
import type { PipelineNode } from './pipelineModel';

/**
 * Which freightlines (by warehouse) are collapsed. With more than COLLAPSE_ABOVE_STAGES stages
 * they start collapsed, else expanded; what the user chose for a freightline stays chosen,
 * across live updates too.
 */
export function useFreightlineCollapse(
  graph: { nodes: PipelineNode[] },
  lines: Map<string, StageView[]>,
) {
  const stageCount = useMemo(
    () => graph.nodes.filter(n => n.kind === 'stage').length,
    [graph],
  );
  const startCollapsed = stageCount > COLLAPSE_ABOVE_STAGES;
  // Warehouse → collapsed, for the freightlines the user collapsed or expanded.
  const [chosen, setChosen] = useState<Record<string, boolean>>({});

  const isCollapsed = useCallback(
    (warehouse: string) => chosen[warehouse] ?? startCollapsed,
    [chosen, startCollapsed],
  );
  const toggle = (warehouse: string) =>
    setChosen(c => ({ ...c, [warehouse]: !(c[warehouse] ?? startCollapsed) }));
  const setAll = (collapsed: boolean) =>
    setChosen(c => ({
      ...c,
      ...Object.fromEntries([...lines.keys()].map(w => [w, collapsed])),
    }));
  /** Expands the stage's first freightline when all of its freightlines are collapsed. */
  const reveal = (stage: string) => {
    const own = [...lines.entries()]
      .filter(([, stages]) => stages.some(s => s.name === stage))
      .map(([warehouse]) => warehouse);
    if (own.length && own.every(isCollapsed)) {
      setChosen(c => ({ ...c, [own[0]]: false }));
    }
  };
  return { isCollapsed, toggle, setAll, reveal };
}
