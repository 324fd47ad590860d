import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, RELATION_OWNED_BY } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  getKargoAnnotations,
  getKargoPortalOwners,
  KARGO_PROJECT_ANNOTATION,
} from '@kargo-backstage/plugin-kargo-common';
import { KargoInstances } from '@kargo-backstage/plugin-kargo-node';
import { KargoProjectResource, KargoStageResource } from './rules';

function ownersOf(entity: Entity): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef.toLocaleLowerCase('en-US'));
}

/** How long the Kargo Project's owners annotation is trusted before it is read again. */
const PROJECT_OWNERS_TTL_MS = 10_000;

/**
 * Resolves permission resources: who owns a Kargo stage or project.
 *
 * Ownership needs two sources to agree. The catalog says which entities show a project (and
 * stage), and so who owns them; but anyone who may register a catalog location can write such
 * an entity. The Kargo Project itself names its portal owners (`kargo-backstage.io/owners`), which
 * only Kargo admins can set. An owner counts only when both name them: registering an entity
 * never adds a right, and a Project without the annotation has no portal owners.
 */
export class KargoResourceOwners {
  private readonly projectOwners = new Map<
    string,
    { until: number; owners: Promise<string[]> }
  >();

  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly instances: KargoInstances,
    private readonly logger?: LoggerService,
    private readonly now: () => number = Date.now,
  ) {}

  private async annotatedEntities(): Promise<Entity[]> {
    const { items } = await this.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${KARGO_PROJECT_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: ['kind', 'metadata', 'relations'],
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    return items;
  }

  /** The owners the Kargo Project names; none when Kargo cannot be read (fail closed). */
  private portalOwners(instance: string, project: string): Promise<string[]> {
    const key = `${instance}/${project}`;
    const cached = this.projectOwners.get(key);
    if (cached && cached.until > this.now()) return cached.owners;
    const owners = Promise.resolve()
      .then(() => this.instances.get(instance).getProject(project))
      .then(getKargoPortalOwners)
      .catch(error => {
        this.logger?.warn(
          `Cannot read the portal owners of Kargo project ${key}: ${error}`,
        );
        this.projectOwners.delete(key);
        return [];
      });
    this.projectOwners.set(key, {
      until: this.now() + PROJECT_OWNERS_TTL_MS,
      owners,
    });
    return owners;
  }

  private async showing(
    entities: Entity[],
    instance: string,
    project: string,
    stage?: string,
  ): Promise<string[]> {
    const owners = new Set<string>();
    for (const entity of entities) {
      const a = getKargoAnnotations(entity);
      if (!a || !a.projects.includes(project)) continue;
      if ((a.instance ?? this.instances.names()[0]) !== instance) continue;
      if (stage && a.stages && !a.stages.includes(stage)) continue;
      ownersOf(entity).forEach(o => owners.add(o));
    }
    if (!owners.size) return [];
    const trusted = new Set(await this.portalOwners(instance, project));
    return [...owners].filter(o => trusted.has(o)).sort();
  }

  /**
   * The catalog entities that show a project, each with its owners as permissions trust them
   * (see above): where notifications about the project go and link to.
   */
  async entitiesShowing(
    instance: string,
    project: string,
  ): Promise<Array<{ entity: Entity; owners: string[] }>> {
    const entities = (await this.annotatedEntities()).filter(entity => {
      const a = getKargoAnnotations(entity);
      return (
        a?.projects.includes(project) &&
        (a.instance ?? this.instances.names()[0]) === instance
      );
    });
    return Promise.all(
      entities.map(async entity => ({
        entity,
        owners: await this.showing([entity], instance, project),
      })),
    );
  }

  async stages(refs: string[]): Promise<Array<KargoStageResource | undefined>> {
    const entities = await this.annotatedEntities();
    return Promise.all(
      refs.map(async ref => {
        const parts = ref.split('/');
        const [instance, project, stage] = parts;
        if (parts.length !== 3 || !instance || !project || !stage) {
          return undefined;
        }
        return {
          instance,
          project,
          stage,
          owners: await this.showing(entities, instance, project, stage),
        };
      }),
    );
  }

  async projects(
    refs: string[],
  ): Promise<Array<KargoProjectResource | undefined>> {
    const entities = await this.annotatedEntities();
    return Promise.all(
      refs.map(async ref => {
        const parts = ref.split('/');
        const [instance, project] = parts;
        if (parts.length !== 2 || !instance || !project) return undefined;
        return {
          instance,
          project,
          owners: await this.showing(entities, instance, project),
        };
      }),
    );
  }
}
