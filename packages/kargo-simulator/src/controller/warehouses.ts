import type { Freight, Warehouse } from '@kargo-backstage/plugin-kargo-common';
import type { KargoSimulator } from '../KargoSimulator';
import { REFRESH_ANNOTATION } from './annotations';
import { condition } from './conditions';
import { discover } from './discovery';
import { parseDuration } from './durations';
import { createFreight } from './freight';

/*
 * The warehouse reconciler (Kargo's pkg/controller/warehouses): each warehouse discovers on its
 * interval, or at once when a refresh is asked for. `lastDiscovery` holds when each warehouse
 * ("project/name") last discovered.
 */

export type LastDiscovery = Map<string, number>;

export function reconcileWarehouses(
  sim: KargoSimulator,
  lastDiscovery: LastDiscovery,
): void {
  const now = sim.clock.now();
  for (const warehouse of sim.store.scan<Warehouse>('Warehouse')) {
    const ns = warehouse.metadata!.namespace!;
    const name = warehouse.metadata!.name!;
    const refresh = warehouse.metadata!.annotations?.[REFRESH_ANNOTATION];
    const refreshRequested =
      refresh && refresh !== warehouse.status?.lastHandledRefresh;
    const last = lastDiscovery.get(`${ns}/${name}`) ?? 0;
    const due = now - last >= parseDuration(warehouse.spec.interval ?? '5m0s');
    if (refreshRequested || due)
      discoverWarehouse(sim, lastDiscovery, ns, name, refresh);
  }
}

/** Discovers the warehouse's artifacts and creates their Freight unless the policy is Manual. */
export function discoverWarehouse(
  sim: KargoSimulator,
  lastDiscovery: LastDiscovery,
  project: string,
  name: string,
  refreshToken?: string,
): Freight | undefined {
  const warehouse = sim.store.require<Warehouse>('Warehouse', project, name);
  lastDiscovery.set(`${project}/${name}`, sim.clock.now());
  const { discoveredArtifacts, freight } = discover(
    warehouse,
    sim.registry,
    sim.clock.isoNow(),
  );
  let created: Freight | undefined;
  if (freight && warehouse.spec.freightCreationPolicy !== 'Manual') {
    created = createFreight(sim, project, freight);
  }
  sim.store.update<Warehouse>('Warehouse', project, name, w => {
    w.status = {
      ...w.status,
      observedGeneration: w.metadata!.generation,
      discoveredArtifacts: discoveredArtifacts as never,
      ...(created ? { lastFreightID: created.metadata!.name } : {}),
      ...(refreshToken ? { lastHandledRefresh: refreshToken } : {}),
      conditions: [condition(sim.clock, 'Ready', 'True', 'DiscoverySucceeded')],
    };
  });
  return created;
}
