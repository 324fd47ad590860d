import type { FreightView } from '@kargo-backstage/plugin-kargo-common';

/** What people call a piece of freight: its first image tag, else chart version, else short commit. */
export function freightVersion(freight: FreightView): string {
  const image = freight.images[0];
  if (image?.tag) return image.tag;
  const chart = freight.charts[0];
  if (chart?.version) return chart.version;
  const commit = freight.commits[0];
  if (commit) return commit.tag ?? commit.id?.slice(0, 7) ?? '';
  return freight.name.slice(0, 7);
}

export function freightTitle(freight: FreightView): string {
  return freight.alias ?? freight.name.slice(0, 7);
}

// Dark enough for white text (contrast ≥ 5:1, WCAG AA).
const PALETTE = [
  '#1565c0',
  '#2e7d32',
  '#7b1fa2',
  '#c62828',
  '#b34700',
  '#00695c',
  '#6d4c41',
  '#ad1457',
  '#616161',
  '#6b6b00',
];

/** A stable colour per stage, so a stage looks the same in the graph and the timeline. */
export function stageColor(stages: string[], stage: string): string {
  const index = stages.indexOf(stage);
  return PALETTE[(index < 0 ? 0 : index) % PALETTE.length];
}
