import { choosePipelineLayout, pipelineExtent } from './pipelineLayout';
import type { PipelineEdge, PipelineNode } from './pipelineModel';

const STAGE = { width: 240, height: 120 };
const WAREHOUSE = { width: 220, height: 68 };
const SPACING = { nodeMargin: 24, rankMargin: 60, padding: 8 };
const sizeOf = (n: PipelineNode) => (n.kind === 'stage' ? STAGE : WAREHOUSE);

/** `lines` freightlines of `length` stages each, every one fed by its own warehouse. */
function chains(lines: number, length: number) {
  const nodes: PipelineNode[] = [];
  const edges: PipelineEdge[] = [];
  for (let l = 0; l < lines; l++) {
    nodes.push({ id: `w${l}`, kind: 'warehouse', name: `w${l}` });
    for (let i = 0; i < length; i++) {
      const id = `s${l}-${i}`;
      nodes.push({ id, kind: 'stage', name: id, stage: {} as never });
      edges.push({ from: i ? `s${l}-${i - 1}` : `w${l}`, to: id });
    }
  }
  return { nodes, edges };
}

const extents = (g: ReturnType<typeof chains>) => ({
  LR: pipelineExtent(g.nodes, g.edges, sizeOf, 'LR', SPACING),
  TB: pipelineExtent(g.nodes, g.edges, sizeOf, 'TB', SPACING),
});

describe('pipelineExtent', () => {
  it('ranks by longest path: a warehouse, then each stage of the chain', () => {
    const { LR, TB } = extents(chains(2, 3));
    // 220 + 3 × 240 along, three rank gaps, padding on both sides.
    expect(LR).toEqual({ width: 220 + 720 + 180 + 16, height: 264 + 16 });
    expect(TB).toEqual({ width: 504 + 16, height: 68 + 360 + 180 + 16 });
  });

  it('puts a stage that merges freightlines after the longest of them', () => {
    const g = chains(2, 2);
    g.nodes.push({ id: 'merge', kind: 'stage', name: 'm', stage: {} as never });
    g.edges.push({ from: 's0-1', to: 'merge' }, { from: 's1-0', to: 'merge' });
    expect(extents(g).LR.width).toBe(220 + 3 * 240 + 3 * 60 + 16);
  });

  it('survives a cycle', () => {
    const g = chains(1, 2);
    g.edges.push({ from: 's0-1', to: 's0-0' });
    expect(extents(g).LR.width).toBeGreaterThan(0);
  });
});

describe('choosePipelineLayout', () => {
  it('keeps a short pipeline left to right at its own size', () => {
    const layout = choosePipelineLayout(1600, extents(chains(1, 3)), 0.9);
    expect(layout).toEqual({ direction: 'LR', width: 1136, scale: 1 });
  });

  it('shrinks left to right a little to fit the width', () => {
    const e = extents(chains(3, 5));
    const layout = choosePipelineLayout(e.LR.width * 0.95, e, 0.9);
    expect(layout.direction).toBe('LR');
    expect(layout.scale).toBeCloseTo(0.95);
  });

  it('turns a long pipeline top to bottom rather than shrinking its text', () => {
    // 24 stages in two freightlines: left to right would be drawn at a third of its size.
    const layout = choosePipelineLayout(1000, extents(chains(2, 12)), 0.9);
    expect(layout).toEqual({ direction: 'TB', width: 520, scale: 1 });
  });

  it('scrolls sideways at the smallest legible scale when neither direction fits', () => {
    // 20 freightlines of 5 stages: too tall to turn, too long to fit.
    const e = extents(chains(20, 5));
    const layout = choosePipelineLayout(1000, e, 0.9);
    expect(layout.direction).toBe('LR');
    expect(layout.scale).toBe(0.9);
    expect(layout.width).toBeCloseTo(e.LR.width * 0.9);
    expect(layout.width).toBeGreaterThan(1000);
  });

  it('uses left to right at its own size before the width is measured', () => {
    const e = extents(chains(2, 12));
    expect(choosePipelineLayout(0, e, 0.9)).toEqual({
      direction: 'LR',
      width: e.LR.width,
      scale: 1,
    });
  });
});
