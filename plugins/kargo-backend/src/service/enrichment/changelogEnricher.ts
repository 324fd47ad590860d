import type {
  Freight,
  FreightEnrichmentContent,
  FreightLink,
} from '@kargo-backstage/plugin-kargo-common';
import type { KargoFreightEnricher } from '@kargo-backstage/plugin-kargo-node';

/** "github.com/org/repo" style hosts whose compare pages we know how to link. */
function compareUrl(repoURL: string, from: string, to: string) {
  const match = repoURL.match(
    /^https:\/\/(github\.com|gitlab\.com)\/([^/]+\/[^/.]+?)(\.git)?\/?$/,
  );
  if (!match) return undefined;
  const [, host, path] = match;
  return host === 'github.com'
    ? `https://github.com/${path}/compare/${from}...${to}`
    : `https://gitlab.com/${path}/-/compare/${from}...${to}`;
}

/**
 * What changed since the previous freight of the same warehouse: image tags, commits (with a
 * compare link for GitHub and GitLab), chart versions. Built from the freight alone.
 */
export function changelog(
  freight: Freight,
  previous?: Freight,
): FreightEnrichmentContent | undefined {
  const lines: string[] = [];
  const links: FreightLink[] = [];
  let changed = 0;
  for (const image of freight.images ?? []) {
    const before = previous?.images?.find(i => i.repoURL === image.repoURL);
    if (!before)
      lines.push(`- image \`${image.repoURL}\`: new at ${image.tag}`);
    else if (before.tag !== image.tag) {
      lines.push(`- image \`${image.repoURL}\`: ${before.tag} → ${image.tag}`);
    } else continue;
    changed++;
  }
  for (const commit of freight.commits ?? []) {
    const before = previous?.commits?.find(c => c.repoURL === commit.repoURL);
    const id = commit.tag ?? commit.id?.slice(0, 12) ?? '';
    const message = commit.message?.split('\n')[0];
    if (before && (before.id ?? before.tag) === (commit.id ?? commit.tag)) {
      continue;
    }
    const was = before ? before.tag ?? before.id?.slice(0, 12) : undefined;
    lines.push(
      `- commit \`${commit.repoURL}\`: ${was ? `${was} → ` : ''}${id}${
        message ? ` — ${message}` : ''
      }${commit.author ? ` (${commit.author})` : ''}`,
    );
    const url =
      before && commit.repoURL
        ? compareUrl(
            commit.repoURL,
            before.tag ?? before.id ?? '',
            commit.tag ?? commit.id ?? '',
          )
        : undefined;
    if (url) links.push({ title: `Compare ${was}…${id}`, url });
    changed++;
  }
  for (const chart of freight.charts ?? []) {
    const name = chart.name ? `${chart.repoURL}/${chart.name}` : chart.repoURL;
    const before = previous?.charts?.find(
      c => c.repoURL === chart.repoURL && c.name === chart.name,
    );
    if (before?.version === chart.version) continue;
    lines.push(
      `- chart \`${name}\`: ${before ? `${before.version} → ` : 'new at '}${
        chart.version
      }`,
    );
    changed++;
  }
  if (!changed) return undefined;
  return {
    notes: `${
      previous
        ? `Changes since ${
            previous.alias ?? previous.metadata?.name?.slice(0, 7)
          }:`
        : 'First freight of this warehouse:'
    }\n\n${lines.join('\n')}`,
    links,
    labels: { 'changed-artifacts': String(changed) },
  };
}

/** The built-in enricher: a changelog against the previous freight of the same warehouse. */
export const changelogEnricher: KargoFreightEnricher = {
  name: 'changelog',
  async enrich({ freight, previous }) {
    return changelog(freight, previous);
  },
};
