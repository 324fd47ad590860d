import { AuthService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, RELATION_OWNED_BY } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  getKargoAnnotations,
  KARGO_PROJECT_ANNOTATION,
} from '@kargo-backstage/plugin-kargo-common';
import { KargoProjectResource, KargoStageResource } from './rules';

function ownersOf(entity: Entity): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
}

/**
 * Resolves permission resources: who owns a Kargo stage or project, i.e. the owners of the
 * catalog entities annotated with that project (and, where an entity lists stages, that stage).
 */
export class KargoResourceOwners {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly defaultInstance: () => string | undefined,
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

  private showing(
    entities: Entity[],
    instance: string,
    project: string,
    stage?: string,
  ): string[] {
    const owners = new Set<string>();
    for (const entity of entities) {
      const a = getKargoAnnotations(entity);
      if (!a || !a.projects.includes(project)) continue;
      if ((a.instance ?? this.defaultInstance()) !== instance) continue;
      if (stage && a.stages && !a.stages.includes(stage)) continue;
      ownersOf(entity).forEach(o => owners.add(o));
    }
    return [...owners].sort();
  }

  async stages(refs: string[]): Promise<Array<KargoStageResource | undefined>> {
    const entities = await this.annotatedEntities();
    return refs.map(ref => {
      const [instance, project, stage] = ref.split('/');
      if (!instance || !project || !stage) return undefined;
      return {
        instance,
        project,
        stage,
        owners: this.showing(entities, instance, project, stage),
      };
    });
  }

  async projects(
    refs: string[],
  ): Promise<Array<KargoProjectResource | undefined>> {
    const entities = await this.annotatedEntities();
    return refs.map(ref => {
      const [instance, project] = ref.split('/');
      if (!instance || !project) return undefined;
      return {
        instance,
        project,
        owners: this.showing(entities, instance, project),
      };
    });
  }
}
