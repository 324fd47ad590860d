import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { Promotion } from '@kargo-backstage/plugin-kargo-common';
import { FreightMetadataService } from '../service/metadata/FreightMetadataService';
import { PromotionService } from '../service/promotions/PromotionService';
import { EntityViews } from '../service/views/EntityViews';

/**
 * The Kargo actions for the actions registry (and through it MCP clients): what runs where for
 * an entity, the portal's freight metadata, and promote. They call the same services as the
 * routes, so an action is checked, gated and audited like the same request from the Kargo tab.
 */
export function registerKargoActions(options: {
  actionsRegistry: ActionsRegistryService;
  entityViews: EntityViews;
  promotions: PromotionService;
  metadata: FreightMetadataService;
}) {
  const { actionsRegistry, entityViews, promotions, metadata } = options;

  actionsRegistry.register({
    name: 'get-entity-pipeline',
    title: 'Kargo pipeline of a catalog entity',
    description:
      'For a catalog entity annotated with kargo.akuity.io/project: its Kargo stages (what freight and version each runs, health, verification, freeze), the newest freight per warehouse (versions, where it is, verdicts) and running promotions.',
    attributes: { readOnly: true },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe('The entity, e.g. component:default/guestbook'),
          freightLimit: z.number().int().min(1).max(100).default(10),
        }),
      output: z =>
        z.object({
          projects: z.array(
            z.object({
              instance: z.string(),
              project: z.string(),
              error: z.string().optional(),
              stages: z.array(
                z.object({
                  name: z.string(),
                  freight: z.array(z.string()),
                  health: z.string().optional(),
                  verification: z.string().optional(),
                  frozen: z.boolean(),
                  promoting: z.string().optional(),
                }),
              ),
              freight: z.array(
                z.object({
                  name: z.string(),
                  alias: z.string().optional(),
                  warehouse: z.string(),
                  version: z.string(),
                  currentlyIn: z.array(z.string()),
                  verifiedIn: z.array(z.string()),
                  verdict: z.string().optional(),
                }),
              ),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const view = await entityViews.get(credentials, {
        entityRef: input.entityRef,
        freightLimit: input.freightLimit,
      });
      return {
        output: {
          projects: view.projects.map(p => {
            if ('error' in p) {
              return {
                instance: p.instance,
                project: p.project,
                error: p.error.message,
                stages: [],
                freight: [],
              };
            }
            const version = (name: string) => {
              const f = p.freight.find(x => x.name === name);
              return f
                ? `${
                    f.images[0]?.tag ??
                    f.charts[0]?.version ??
                    f.commits[0]?.id?.slice(0, 7) ??
                    name.slice(0, 7)
                  }`
                : name.slice(0, 7);
            };
            return {
              instance: p.instance,
              project: p.project,
              stages: p.stages.map(s => ({
                name: s.name,
                freight: Object.values(s.currentFreight).map(version),
                health: s.health,
                verification: s.verification?.phase,
                frozen: s.promotionWindow ? !s.promotionWindow.open : false,
                promoting: s.currentPromotion,
              })),
              freight: p.freight.map(f => ({
                name: f.name,
                alias: f.alias,
                warehouse: f.origin.name,
                version: version(f.name),
                currentlyIn: Object.keys(f.currentlyIn),
                verifiedIn: Object.keys(f.verifiedIn),
                verdict: f.portalMetadata?.verdict?.value,
              })),
            };
          }),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'get-freight-metadata',
    title: 'Portal metadata of Kargo freight',
    description:
      'Notes, links, labels, verdict and enrichments (such as the changelog) that the portal keeps for pieces of freight of a Kargo project.',
    attributes: { readOnly: true },
    schema: {
      input: z =>
        z.object({
          instance: z.string(),
          project: z.string(),
          freight: z.array(z.string()).min(1).max(1000),
        }),
      output: z => z.object({ items: z.array(z.record(z.any())) }),
    },
    action: async ({ input, credentials }) => {
      const items = await metadata.get(
        credentials,
        { instance: input.instance, project: input.project },
        { freight: input.freight },
      );
      return { output: { items: items as any[] } };
    },
  });

  actionsRegistry.register({
    name: 'promote',
    title: 'Promote Kargo freight into a stage',
    description:
      'Promotes freight (by name or alias) into a stage of a Kargo project, with the same permission checks, freeze windows and gates as the Kargo tab. Gates that ask for a confirmation are named in "confirm".',
    attributes: { readOnly: false, destructive: true, idempotent: false },
    schema: {
      input: z =>
        z.object({
          instance: z.string(),
          project: z.string(),
          stage: z.string(),
          freight: z.string().describe('Freight name or alias'),
          confirm: z.array(z.string()).optional(),
        }),
      output: z => z.object({ promotion: z.string() }),
    },
    action: async ({ input, credentials }) => {
      const byName = /^[0-9a-f]{40}$/.test(input.freight);
      const { body } = await promotions.promote({
        credentials,
        params: {
          instance: input.instance,
          project: input.project,
          stage: input.stage,
        },
        body: {
          ...(byName
            ? { freight: input.freight }
            : { freightAlias: input.freight }),
          ...(input.confirm?.length ? { confirm: input.confirm } : {}),
        },
      });
      return {
        output: { promotion: (body as Promotion).metadata?.name ?? '' },
      };
    },
  });
}
