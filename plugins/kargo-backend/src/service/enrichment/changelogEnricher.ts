import type {
  Freight,
  FreightEnrichmentContent,
  FreightLink,
} from '@kargo-backstage/plugin-kargo-common';
import type { KargoFreightEnricher } from '@kargo-backstage/plugin-kargo-node';

/**
 * Text from a repository or registry (commit subjects, authors, tags) as literal markdown, on
 * one line: its own links, images, HTML, entities and emphasis show as typed.
 */
function text(value = '') {
  return value.replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]<>&~|]/g, '\\$&');
}

/** A code span for any value (a repository URL with backticks cannot end it early). */
function code(value = '') {
  const v = value.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(v.match(/`+/g) ?? []).map(r => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = v.startsWith('`') || v.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${v}${pad}${fence}`;
}

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
 * compare link for GitHub and GitLab), chart versions. Built from the freight alone; what comes
 * from repositories is quoted as text or code, so a commit subject cannot add links or HTML.
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
      lines.push(`- image ${code(image.repoURL)}: new at ${text(image.tag)}`);
    else if (before.tag !== image.tag) {
      lines.push(
        `- image ${code(image.repoURL)}: ${text(before.tag)} → ${text(
          image.tag,
        )}`,
      );
    } else continue;
    changed++;
  }
  for (const commit of freight.commits ?? []) {
    const before = previous?.commits?.find(c => c.repoURL === commit.repoURL);
    const id = commit.tag ?? commit.id?.slice(0, 12) ?? '';
    const message = commit.message?.split(/\r\n|\r|\n/)[0];
    if (before && (before.id ?? before.tag) === (commit.id ?? commit.tag)) {
      continue;
    }
    const was = before ? before.tag ?? before.id?.slice(0, 12) : undefined;
    lines.push(
      `- commit ${code(commit.repoURL)}: ${was ? `${text(was)} → ` : ''}${text(
        id,
      )}${message ? ` — ${text(message)}` : ''}${
        commit.author ? ` (${text(commit.author)})` : ''
      }`,
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
      `- chart ${code(name)}: ${
        before ? `${text(before.version)} → ` : 'new at '
      }${text(chart.version)}`,
    );
    changed++;
  }
  if (!changed) return undefined;
  return {
    notes: `${
      previous
        ? `Changes since ${text(
            previous.alias ?? previous.metadata?.name?.slice(0, 7) ?? '',
          )}:`
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
