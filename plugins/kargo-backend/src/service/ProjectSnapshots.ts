import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';
import { KargoClient } from '@kargo-backstage/plugin-kargo-node';
import { ProjectSnapshot } from './views/buildProjectView';

/**
 * Kargo reads per project, cached with Backstage's cache service (memory by default, Redis in
 * production) and coalesced: concurrent requests for the same project share one set of calls.
 * A view costs four Kargo calls, however many stages and freight the project has.
 */
export class ProjectSnapshots {
  private readonly inFlight = new Map<string, Promise<ProjectSnapshot>>();

  constructor(
    private readonly cache: CacheService,
    private readonly ttlMs: number,
  ) {}

  static key(instance: string, project: string): string {
    return `snapshot:${instance}:${project}`;
  }

  async get(client: KargoClient, project: string): Promise<ProjectSnapshot> {
    const key = ProjectSnapshots.key(client.instance.name, project);
    const cached = (await this.cache.get(key)) as ProjectSnapshot | undefined;
    if (cached) return cached;
    const running = this.inFlight.get(key);
    if (running) return running;
    const fetching = this.fetch(client, project)
      .then(async snapshot => {
        await this.cache.set(key, snapshot as unknown as JsonValue, {
          ttl: this.ttlMs,
        });
        return snapshot;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, fetching);
    return fetching;
  }

  /** Drops a project's cached reads, e.g. when Kargo reports a change. */
  async invalidate(instance: string, project: string): Promise<void> {
    await this.cache.delete(ProjectSnapshots.key(instance, project));
  }

  private async fetch(
    client: KargoClient,
    project: string,
  ): Promise<ProjectSnapshot> {
    const [stages, warehouses, freight, promotions] = await Promise.all([
      client.listStages(project),
      client.listWarehouses(project),
      client.queryFreight(project),
      client.listPromotions(project),
    ]);
    return {
      resourceVersions: {
        stages: stages.metadata?.resourceVersion,
        warehouses: warehouses.metadata?.resourceVersion,
        freight: freight.resourceVersion,
        promotions: promotions.metadata?.resourceVersion,
      },
      stages: stages.items ?? [],
      warehouses: warehouses.items ?? [],
      freight: Object.values(freight.groups ?? {}).flatMap(g => g.items ?? []),
      promotions: promotions.items ?? [],
      fetchedAt: new Date().toISOString(),
    };
  }
}
