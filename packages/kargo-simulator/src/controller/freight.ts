import { createHash } from 'node:crypto';
import type {
  Freight,
  FreightReference,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import type { KargoSimulator } from '../KargoSimulator';
import { HttpError } from '../http/HttpError';
import { ALIAS_LABEL } from './annotations';
import { originKey } from './availability';
import { formatDuration, parseDuration } from './durations';
import { freightAlias, freightName } from './freightIdentity';
import { argocdAppsByStep } from './workloads';

/*
 * Freight: its creation (by discovery or through the API, named by its content hash, with an
 * alias), how the API server finds it by name or alias, how a successful promotion lands it in
 * its stage's history, and what its status records of the stages it reached (currentlyIn, with
 * the soak it kept when it left) and was verified in.
 */

/**
 * Freight created through the API (e.g. stand-alone image writeback): as Kargo's webhooks do,
 * the name is the content hash and the origin warehouse must exist.
 */
export function createFreightResource(
  sim: KargoSimulator,
  freight: Freight,
): Freight {
  const project = freight.metadata?.namespace ?? '';
  const origin = freight.origin;
  if (
    origin?.kind !== 'Warehouse' ||
    !sim.store.get('Warehouse', project, origin.name)
  ) {
    throw new HttpError(
      422,
      `admission webhook "freight.kargo.akuity.io" denied the request: Freight.kargo.akuity.io "" is invalid: origin: Invalid value: "${
        origin?.name ?? ''
      }": Warehouse "${
        origin?.name ?? ''
      }" not found in namespace "${project}"`,
    );
  }
  if (
    !freight.images?.length &&
    !freight.commits?.length &&
    !freight.charts?.length
  ) {
    throw new HttpError(
      422,
      'admission webhook "freight.kargo.akuity.io" denied the request: freight must contain at least one commit, image, or chart',
    );
  }
  const { metadata: _metadata, status: _status, ...content } = freight;
  return (
    createFreight(sim, project, content as Freight) ??
    structuredClone(
      sim.store.get<Freight>('Freight', project, freightName(freight))!,
    )
  );
}

/**
 * The store's index of Freight by alias (registered by KargoSimulator): a new alias is checked
 * against it, where collecting every alias of the project for each new Freight was quadratic.
 */
export const FREIGHT_BY_ALIAS = 'freightByAlias';

/** Creates Freight unless the same content already exists (names are content hashes). */
export function createFreight(
  sim: KargoSimulator,
  project: string,
  freight: Freight,
): Freight | undefined {
  const name = freightName(freight);
  if (sim.store.get('Freight', project, name)) return undefined;
  const alias = freightAlias(
    name,
    a => sim.store.indexedNames(FREIGHT_BY_ALIAS, project, a).size > 0,
  );
  const created = sim.store.create<Freight>('Freight', {
    ...freight,
    metadata: { name, namespace: project, labels: { [ALIAS_LABEL]: alias } },
    alias,
    discoveredAt: sim.clock.isoNow(),
    status: {},
  });
  sim.recordEvent(
    project,
    'Freight',
    name,
    'FreightCreated',
    `Freight ${name} (${alias}) created from Warehouse ${freight.origin.name}`,
  );
  return created;
}

/** GET .../freight/{name-or-alias}: by name, else by the alias label. */
export function resolveFreight(
  sim: KargoSimulator,
  project: string,
  nameOrAlias: string,
): Freight {
  const byName = sim.store.get<Freight>('Freight', project, nameOrAlias);
  if (byName) return byName;
  const byAlias = sim.store
    .scan<Freight>('Freight', project)
    .find(f => f.metadata?.labels?.[ALIAS_LABEL] === nameOrAlias);
  if (!byAlias) {
    throw new HttpError(
      404,
      `Freight with name or alias "${nameOrAlias}" not found in project "${project}"`,
    );
  }
  return structuredClone(byAlias);
}

/** Freight named exactly, as PromoteToStage looks up `freight`. */
export function freightByName(
  sim: KargoSimulator,
  project: string,
  name: string,
): Freight {
  const freight = sim.store.get<Freight>('Freight', project, name);
  if (!freight) {
    throw new HttpError(
      404,
      `Freight "${name}" not found in project "${project}"`,
    );
  }
  return freight;
}

/** Freight by its alias label, as PromoteToStage looks up `freightAlias`. */
export function freightByAlias(
  sim: KargoSimulator,
  project: string,
  alias: string,
): Freight {
  const freight = sim.store
    .scan<Freight>('Freight', project)
    .find(f => f.metadata?.labels?.[ALIAS_LABEL] === alias);
  if (!freight) {
    throw new HttpError(
      404,
      `Freight with alias "${alias}" not found in project "${project}"`,
    );
  }
  return structuredClone(freight);
}

/** The FreightReference a Promotion or a stage's history keeps of freight. */
export function freightRef(freight: Freight): FreightReference {
  return {
    name: freight.metadata!.name,
    origin: freight.origin,
    ...(freight.images ? { images: freight.images } : {}),
    ...(freight.commits ? { commits: freight.commits } : {}),
    ...(freight.charts ? { charts: freight.charts } : {}),
  };
}

/** A successful promotion adds a FreightCollection at the head of the stage's history. */
export function landFreight(
  stage: Stage,
  status: NonNullable<Stage['status']>,
  freight: Freight,
) {
  const previous = status.freightHistory?.[0];
  const items = {
    ...(previous?.items ?? {}),
    [originKey(freight.origin)]: freightRef(freight),
  };
  const id = createHash('sha1')
    .update(
      Object.keys(items)
        .sort()
        .map(k => `${k}:${items[k].name}`)
        .join(','),
    )
    .digest('hex');
  // Verification starts once the stage is healthy (reconcileStage).
  status.freightHistory = [
    {
      id,
      items,
      verificationHistory: [],
    },
    ...(status.freightHistory ?? []),
  ].slice(0, 10);
  status.freightSummary = Object.values(items)
    .map(i => i.name)
    .join(', ');
  // Kargo's health output is an array, one entry per health check (aggregating_checker.go);
  // only argocd-update steps register one, and without any there is no output. An entry
  // capitalizes Namespace and Name (an untagged embedded struct in Kargo's Go code).
  const checks = argocdAppsByStep(stage).map(apps => ({
    applicationStatuses: apps.map(name => ({
      Namespace: 'argocd',
      Name: name,
      health: { status: 'Healthy' },
      sync: {
        status: 'Synced',
        revision: freight.commits?.[0]?.id ?? '',
      },
    })),
  }));
  status.health = checks.length
    ? { status: 'Healthy', output: checks as never }
    : { status: 'Healthy' };
}

/**
 * The freight is now in the stage; earlier freight of its origin leaves it, keeping in
 * verifiedIn the longest soak it had there.
 */
export function markFreightIn(
  sim: KargoSimulator,
  project: string,
  stageName: string,
  arrived: Freight,
) {
  const now = sim.clock.isoNow();
  const origin = originKey(arrived.origin);
  for (const freight of sim.store.scan<Freight>('Freight', project)) {
    const isArrived = freight.metadata!.name === arrived.metadata!.name;
    const wasHere = freight.status?.currentlyIn?.[stageName];
    if (!isArrived && !(wasHere && originKey(freight.origin) === origin)) {
      continue;
    }
    sim.store.update<Freight>(
      'Freight',
      project,
      freight.metadata!.name!,
      f => {
        const status = {
          ...f.status,
          currentlyIn: { ...f.status?.currentlyIn },
        };
        if (isArrived) {
          status.currentlyIn[stageName] = { since: now };
        } else {
          const since = status.currentlyIn[stageName]?.since;
          delete status.currentlyIn[stageName];
          const verified = status.verifiedIn?.[stageName];
          if (verified && since) {
            const soak = Math.max(
              parseDuration(verified.longestSoak),
              sim.clock.now() - Date.parse(since),
            );
            status.verifiedIn = {
              ...status.verifiedIn,
              [stageName]: { ...verified, longestSoak: formatDuration(soak) },
            };
          }
        }
        f.status = status;
      },
    );
  }
}

/** FreightStatus.AddVerifiedStage: a stage already recorded keeps its record (and soak). */
export function markFreightVerified(
  sim: KargoSimulator,
  ns: string,
  stageName: string,
  collection: NonNullable<
    NonNullable<Stage['status']>['freightHistory']
  >[number],
  verifiedAt: string,
) {
  for (const ref of Object.values(collection.items ?? {})) {
    const freight = sim.store.get<Freight>('Freight', ns, ref.name!);
    if (!freight || freight.status?.verifiedIn?.[stageName]) continue;
    sim.store.update<Freight>('Freight', ns, ref.name!, f => {
      f.status = {
        ...f.status,
        verifiedIn: { ...f.status?.verifiedIn, [stageName]: { verifiedAt } },
      };
    });
  }
}
