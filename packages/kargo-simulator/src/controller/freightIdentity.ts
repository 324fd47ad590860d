import { createHash } from 'node:crypto';
import type { Freight } from '@kargo-backstage/plugin-kargo-common';

/** Kargo's git URL normalisation for freight IDs: lower case, no credentials, no .git. */
function normalizeGitURL(url: string): string {
  const lower = url.trim().toLowerCase();
  const scp = /^([^@/]+@[^:/]+):(.+)$/.exec(lower);
  if (scp) return `ssh://${scp[1]}/${scp[2]}`;
  if (!/^https?:\/\//.test(lower) || lower.includes('?')) return lower;
  return lower
    .replace(/\/\/[^@/]+@/, '//')
    .replace(/\/$/, '')
    .replace(/\.git$/, '');
}

/** Kargo's chart URL normalisation: lower case, no oci://, no docker.io/library prefixes. */
function normalizeChartURL(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/^oci:\/\//, '')
    .replace(/^(index\.)?docker\.io\//, '')
    .replace(/^library\//, '');
}

/**
 * Freight is named by its content, as Kargo's Freight.GenerateID does: the SHA-1 of its origin
 * and its sorted artifact references, so the same artifacts always make the same Freight.
 */
export function freightName(freight: Freight): string {
  const artifacts = [
    ...(freight.commits ?? []).map(c =>
      c.tag
        ? `${normalizeGitURL(c.repoURL ?? '')}:${c.tag}:${c.id}`
        : `${normalizeGitURL(c.repoURL ?? '')}:${c.id}`,
    ),
    ...(freight.images ?? []).map(i => `${i.repoURL}:${i.tag}@${i.digest}`),
    ...(freight.charts ?? []).map(
      c =>
        `${[normalizeChartURL(c.repoURL ?? ''), c.name]
          .filter(Boolean)
          .join('/')}:${c.version}`,
    ),
  ].sort();
  const origin = `${freight.origin.kind}/${freight.origin.name}`;
  return createHash('sha1')
    .update(`${origin}:${artifacts.join('|')}`)
    .digest('hex');
}

const ADJECTIVES = [
  'amber',
  'brave',
  'calm',
  'daring',
  'eager',
  'fluffy',
  'gentle',
  'happy',
  'icy',
  'jolly',
  'keen',
  'lucky',
  'mellow',
  'nimble',
  'plucky',
  'quiet',
  'rapid',
  'sunny',
  'tidy',
  'upbeat',
  'vivid',
  'wonky',
  'zesty',
];
const ANIMALS = [
  'aardvark',
  'badger',
  'capybara',
  'dingo',
  'egret',
  'ferret',
  'gecko',
  'heron',
  'ibis',
  'jackal',
  'koala',
  'lemur',
  'marmot',
  'narwhal',
  'otter',
  'puffin',
  'quokka',
  'raven',
  'stoat',
  'tapir',
  'urchin',
  'vole',
  'wombat',
  'yak',
];

/**
 * Every adjective-animal pair, pair n at index n modulo their number; built once, as a project
 * with more freight than pairs tries them all for each new Freight.
 */
const PAIRS = Array.from(
  { length: ADJECTIVES.length * ANIMALS.length },
  (_, n) =>
    `${ADJECTIVES[n % ADJECTIVES.length]}-${
      ANIMALS[Math.floor(n / ADJECTIVES.length)]
    }`,
);

/**
 * Kargo gives each Freight a memorable adjective-animal alias; this one is derived from the
 * name, trying pairs in a fixed order, then (all pairs taken) pairs with the attempt number.
 */
export function freightAlias(
  name: string,
  taken: (alias: string) => boolean,
): string {
  const seed = parseInt(name.slice(0, 8), 16);
  for (let attempt = 0; ; attempt++) {
    const pair = PAIRS[(seed + attempt * 7919) % PAIRS.length];
    const alias = attempt >= PAIRS.length ? `${pair}-${attempt}` : pair;
    if (!taken(alias)) return alias;
  }
}
