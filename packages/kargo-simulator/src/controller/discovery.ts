import semver, { SemVer } from 'semver';
import type {
  Chart,
  Freight,
  GitCommit,
  Image,
  Warehouse,
} from '@kargo-backstage/plugin-kargo-common';
import { ArtifactRegistry, PublishedImage } from './registry';

interface ImageSubscription {
  repoURL: string;
  constraint?: string;
  imageSelectionStrategy?: string;
  allowTags?: string;
  allowTagsRegexes?: string[];
  ignoreTags?: string[];
  ignoreTagsRegexes?: string[];
  discoveryLimit?: number;
}
interface GitSubscription {
  repoURL: string;
  branch?: string;
  discoveryLimit?: number;
}
interface ChartSubscription {
  repoURL: string;
  name?: string;
  semverConstraint?: string;
  discoveryLimit?: number;
}
export interface Subscription {
  image?: ImageSubscription;
  git?: GitSubscription;
  chart?: ChartSubscription;
}

const versionOf = (tag: string) => semver.valid(tag.replace(/^v/, ''));

/**
 * Each published image's parsed version, null when its tag is no semver. Published images do
 * not change; parsing every tag on every discovery, and twice per comparison when sorting, was
 * most of the cost of discovering many freight from one repository.
 */
const parsedVersions = new WeakMap<PublishedImage, SemVer | null>();
function parsedVersion(image: PublishedImage): SemVer | null {
  let parsed = parsedVersions.get(image);
  if (parsed === undefined) {
    const version = versionOf(image.tag);
    parsed = version ? new SemVer(version) : null;
    parsedVersions.set(image, parsed);
  }
  return parsed;
}

function imageCandidates(sub: ImageSubscription, registry: ArtifactRegistry) {
  const allow = [sub.allowTags, ...(sub.allowTagsRegexes ?? [])].filter(
    Boolean,
  ) as string[];
  const ignoreRegexes = (sub.ignoreTagsRegexes ?? []).map(r => new RegExp(r));
  const strategy = sub.imageSelectionStrategy ?? 'SemVer';
  const tags = (registry.images.get(sub.repoURL) ?? []).filter(image => {
    if (allow.length && !allow.some(r => new RegExp(r).test(image.tag)))
      return false;
    if (sub.ignoreTags?.includes(image.tag)) return false;
    if (ignoreRegexes.some(r => r.test(image.tag))) return false;
    if (strategy === 'SemVer') {
      const version = parsedVersion(image);
      if (!version) return false;
      if (sub.constraint && !semver.satisfies(version, sub.constraint))
        return false;
    }
    return true;
  });
  if (strategy === 'SemVer') {
    tags.sort((a, b) => semver.rcompare(parsedVersion(a)!, parsedVersion(b)!));
  } else if (strategy === 'Lexical') {
    tags.sort((a, b) => b.tag.localeCompare(a.tag));
  } else {
    tags.reverse(); // NewestBuild: most recently pushed first
  }
  const sorted = tags;
  return sorted.slice(0, sub.discoveryLimit ?? 20);
}

function commitCandidates(sub: GitSubscription, registry: ArtifactRegistry) {
  const branch = sub.branch ?? 'main';
  return (registry.commits.get(sub.repoURL) ?? [])
    .filter(c => c.branch === branch)
    .reverse()
    .slice(0, sub.discoveryLimit ?? 20);
}

function chartCandidates(sub: ChartSubscription, registry: ArtifactRegistry) {
  const key = sub.name ? `${sub.repoURL}/${sub.name}` : sub.repoURL;
  return (registry.charts.get(key) ?? [])
    .filter(
      c =>
        !sub.semverConstraint ||
        semver.satisfies(c.version, sub.semverConstraint),
    )
    .sort((a, b) => semver.rcompare(a.version, b.version))
    .slice(0, sub.discoveryLimit ?? 20);
}

/**
 * One discovery pass of a Warehouse, as Kargo's warehouse reconciler does it: list what each
 * subscription can see (filters applied, newest first), record it in
 * status.discoveredArtifacts, and assemble Freight from the newest of each.
 * Returns the Freight to create, or undefined when a subscription sees nothing.
 */
export function discover(
  warehouse: Warehouse,
  registry: ArtifactRegistry,
  now: string,
): { discoveredArtifacts: Record<string, unknown>; freight?: Freight } {
  const subscriptions = (warehouse.spec.subscriptions ?? []) as Subscription[];
  const images: Image[] = [];
  const commits: GitCommit[] = [];
  const charts: Chart[] = [];
  const discovered = {
    discoveredAt: now,
    images: [] as unknown[],
    git: [] as unknown[],
    charts: [] as unknown[],
  };
  let complete = true;

  for (const sub of subscriptions) {
    if (sub.image) {
      const refs = imageCandidates(sub.image, registry);
      discovered.images.push({
        repoURL: sub.image.repoURL,
        references: refs.map(r => ({
          tag: r.tag,
          digest: r.digest,
          createdAt: r.createdAt,
        })),
      });
      if (refs[0])
        images.push({
          repoURL: sub.image.repoURL,
          tag: refs[0].tag,
          digest: refs[0].digest,
        });
      else complete = false;
    } else if (sub.git) {
      const found = commitCandidates(sub.git, registry);
      discovered.git.push({
        repoURL: sub.git.repoURL,
        commits: found.map(c => ({
          id: c.id,
          branch: c.branch,
          subject: c.message,
          author: c.author,
          committer: c.committer,
          creatorDate: c.createdAt,
        })),
      });
      const c = found[0];
      if (c) {
        commits.push({
          repoURL: sub.git.repoURL,
          id: c.id,
          branch: c.branch,
          message: c.message,
          author: c.author,
          committer: c.committer,
        });
      } else complete = false;
    } else if (sub.chart) {
      const versions = chartCandidates(sub.chart, registry);
      discovered.charts.push({
        repoURL: sub.chart.repoURL,
        ...(sub.chart.name ? { name: sub.chart.name } : {}),
        ...(sub.chart.semverConstraint
          ? { semverConstraint: sub.chart.semverConstraint }
          : {}),
        versions: versions.map(v => v.version),
      });
      if (versions[0]) {
        charts.push({
          repoURL: sub.chart.repoURL,
          ...(sub.chart.name ? { name: sub.chart.name } : {}),
          version: versions[0].version,
        });
      } else complete = false;
    }
  }

  const freight: Freight | undefined = complete
    ? {
        origin: { kind: 'Warehouse', name: warehouse.metadata!.name! },
        ...(images.length ? { images } : {}),
        ...(commits.length ? { commits } : {}),
        ...(charts.length ? { charts } : {}),
      }
    : undefined;
  return { discoveredArtifacts: discovered, freight };
}
