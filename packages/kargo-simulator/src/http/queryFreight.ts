import type { Freight } from '@kargo-backstage/plugin-kargo-common';
import semver from 'semver';
import { HttpError } from './HttpError';

const GROUP_BY = ['image_repo', 'git_repo', 'chart_repo', ''];

/** Kargo's validateGroupByOrderBy; its messages carry the connect code prefix. */
export function validateGrouping(
  group: string,
  groupBy: string,
  orderBy: string,
) {
  const invalid = (message: string) =>
    new HttpError(400, `invalid_argument: ${message}`);
  if (group && !groupBy)
    throw invalid('cannot filter by group without group by');
  if (!GROUP_BY.includes(groupBy))
    throw invalid(`invalid group by: ${groupBy}`);
  if (
    orderBy === 'tag' &&
    groupBy !== 'image_repo' &&
    groupBy !== 'chart_repo'
  ) {
    throw invalid(
      'tag ordering only valid when grouping by: image_repo, chart_repo',
    );
  }
  if (!['tag', 'first_seen', ''].includes(orderBy))
    throw invalid(`invalid order by: ${orderBy}`);
}

/** Go's path.Join, which Kargo uses for chart group keys (it turns "oci://x" into "oci:/x"). */
function pathJoin(...parts: string[]): string {
  const joined = parts.filter(Boolean).join('/');
  const absolute = joined.startsWith('/');
  const out: string[] = [];
  for (const segment of joined.split('/')) {
    if (!segment || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return (absolute ? '/' : '') + out.join('/');
}

const discoveredAt = (f: Freight) =>
  Date.parse(f.discoveredAt ?? f.metadata!.creationTimestamp!);

/** The first image's, else the first chart's, repository and tag: what `orderBy=tag` compares. */
function repoAndTag(f: Freight): [string, string] {
  const image = f.images?.[0];
  if (image) return [image.repoURL ?? '', image.tag ?? ''];
  const chart = f.charts?.[0];
  return chart
    ? [pathJoin(chart.repoURL ?? '', chart.name ?? ''), chart.version ?? '']
    : ['', ''];
}

function compare(orderBy: string, a: Freight, b: Freight): number {
  if (orderBy === 'tag') {
    const [repoA, tagA] = repoAndTag(a);
    const [repoB, tagB] = repoAndTag(b);
    if (repoA === repoB) {
      const va = semver.valid(tagA.replace(/^v/, ''));
      const vb = semver.valid(tagB.replace(/^v/, ''));
      if (va && vb) return semver.compare(va, vb);
      return tagA.localeCompare(tagB);
    }
  }
  return discoveredAt(a) - discoveredAt(b);
}

/**
 * queryFreight's grouping and ordering, as Kargo's handler does it: one group per repository
 * the freight references (or the single group ""), oldest first unless `reverse`.
 */
export function groupFreight(
  items: Freight[],
  options: {
    groupBy: string;
    group: string;
    orderBy: string;
    reverse: boolean;
  },
): Record<string, { items: Freight[] }> {
  const keysOf = (f: Freight): string[] => {
    switch (options.groupBy) {
      case 'image_repo':
        return (f.images ?? []).map(i => i.repoURL ?? '');
      case 'git_repo':
        return (f.commits ?? []).map(c => c.repoURL ?? '');
      case 'chart_repo':
        return (f.charts ?? []).map(c =>
          pathJoin(c.repoURL ?? '', c.name ?? ''),
        );
      default:
        return [''];
    }
  };
  const groups: Record<string, { items: Freight[] }> = {};
  if (!options.groupBy) groups[''] = { items: [] };
  for (const freight of items) {
    for (const key of keysOf(freight)) {
      if (options.group && key !== options.group) continue;
      (groups[key] ??= { items: [] }).items.push(freight);
    }
  }
  for (const group of Object.values(groups)) {
    group.items.sort((a, b) => compare(options.orderBy, a, b));
    if (options.reverse) group.items.reverse();
  }
  return groups;
}
