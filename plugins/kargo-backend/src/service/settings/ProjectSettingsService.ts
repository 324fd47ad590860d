import { InputError, NotFoundError } from '@backstage/errors';
import {
  Entity,
  isGroupEntity,
  isUserEntity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  kargoProjectAdminGrantPermission,
  kargoProjectManagePermission,
  kargoProjectSettingsReadPermission,
  kargoProjectResourceRef,
  KargoProjectSettings,
} from '@kargo-backstage/plugin-kargo-common';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { z } from 'zod/v3';
import { KargoStore } from '../../database';
import { KargoTokenAccess } from '../access/KargoTokenAccess';
import { KargoResourceOwners } from '../../permissions/KargoResourceOwners';
import { stagePromotionWindow } from '../freeze/stagePromotionWindow';
import {
  OperationDeps,
  OperationService,
} from '../operations/OperationService';
import type { Operation, OperationCall } from '../operations/types';
import { objectName, parse } from '../operations/schemas';
import { allStages, authorizeProjectChange } from '../operations/stageScope';

/** Kargo's own role that may do anything in a project. */
const KARGO_ADMIN_ROLE = 'kargo-admin';
/** Kargo's own read-only role. */
const KARGO_VIEWER_ROLE = 'kargo-viewer';
import { credentialsView } from './CredentialsService';
import {
  policyIndex,
  updatePromotionPolicies,
  withAutoPromotion,
} from '../promotionPolicies';

export interface ProjectSettingsServiceOptions extends OperationDeps {
  store: KargoStore;
  catalog: CatalogService;
  owners: KargoResourceOwners;
  /** The OIDC claim Kargo matches portal groups against (default `groups`). */
  groupsClaim: string;
  now?: () => Date;
  /** What the portal's Kargo token may do, shown with the settings. */
  tokenAccess?: KargoTokenAccess;
}

const subjects = z
  .object({
    subjects: z
      .array(z.string().min(1).max(300))
      .min(1, 'name at least one group or user')
      .max(50),
  })
  .strict();

/** A project without a ProjectConfig has none; any other failure stops the request. */
function orNone(error: { name?: string; statusCode?: number }): undefined {
  if (error?.name === 'NotFoundError' || error?.statusCode === 404) {
    return undefined;
  }
  throw error;
}

const autoPromotion = z.object({ enabled: z.boolean() }).strict();

const roleName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kargo role name')
  .max(63);

/**
 * A project's settings from the portal: its Kargo roles and whom they are granted to (as OIDC
 * claims), and each stage's auto-promotion (ProjectConfig promotion policies) with its freeze
 * state. Changes need kargo.project.manage and go through Kargo's API.
 */
export class ProjectSettingsService extends OperationService<ProjectSettingsServiceOptions> {
  /** Roles carry their claims (e-mails, groups): not for every reader of the pipeline. */
  async get(
    caller: BackstageCredentials,
    ref: { instance: string; project: string },
  ): Promise<KargoProjectSettings> {
    const params = await this.readable(
      caller,
      ref,
      kargoProjectSettingsReadPermission,
    );
    const client = this.options.instances.get(params.instance);
    const [
      roles,
      config,
      snapshot,
      windows,
      holds,
      [resource],
      credentials,
      kargoAccess,
    ] = await Promise.all([
      client.listRoles(params.project),
      client.getProjectConfig(params.project).catch(orNone),
      this.options.states.get(client, params.project),
      this.options.store.listPromotionWindows(params),
      this.options.store.listAutoPromotionHolds(params),
      this.options.owners.projects([
        kargoProjectResourceRef(params.instance, params.project),
      ]),
      client.listRepoCredentials(params.project).then(
        list => ({ items: (list.items ?? []).map(credentialsView) }),
        (error: Error) => ({ items: [], error: error.message }),
      ),
      this.options.tokenAccess?.forProject(client, params.project),
    ]);
    const policies = config?.spec?.promotionPolicies ?? [];
    const at = this.options.now?.() ?? new Date();
    const body: KargoProjectSettings = {
      instance: params.instance,
      project: params.project,
      groupsClaim: this.options.groupsClaim,
      owners: resource?.owners ?? [],
      warehouses: snapshot.warehouses.map(w => ({
        name: w.metadata?.name ?? '',
        spec: (w.spec ?? {}) as Record<string, unknown>,
        discoveredArtifacts: w.status?.discoveredArtifacts as
          | Record<string, unknown>
          | undefined,
      })),
      credentials: credentials.items,
      credentialsError: 'error' in credentials ? credentials.error : undefined,
      kargoAccess,
      roles: roles.map(r => ({
        name: r.metadata?.name ?? '',
        kargoManaged: Boolean(r.kargoManaged),
        claims: (r.claims ?? []).map(c => ({
          name: c.name ?? '',
          values: c.values ?? [],
        })),
      })),
      stages: snapshot.stages.map(s => {
        const index = policyIndex(policies, s);
        const hold = holds.find(h => h.stage === s.metadata!.name);
        return {
          stage: s.metadata!.name!,
          autoPromotionEnabled: hold
            ? hold.previous
            : index >= 0 && Boolean(policies[index].autoPromotionEnabled),
          policy:
            index < 0
              ? undefined
              : policies[index].stage ??
                `selector ${JSON.stringify(policies[index].stageSelector)}`,
          heldByFreeze: Boolean(hold),
          promotionWindow: stagePromotionWindow(s, windows, at) ?? {
            open: true,
            closedBy: [],
          },
        };
      }),
    };
    return body;
  }

  /** Portal groups and users as the OIDC claims Kargo matches. */
  private async claimsOf(
    op: Operation<{ subjects: string[] }>,
  ): Promise<Array<{ name: string; values: string[] }>> {
    const claims = new Map<string, Set<string>>();
    const add = (name: string, value: string) =>
      claims.set(name, (claims.get(name) ?? new Set()).add(value));
    for (const subject of op.body.subjects) {
      let ref: string;
      try {
        ref = stringifyEntityRef(
          parseEntityRef(subject, { defaultKind: 'group' }),
        );
      } catch {
        throw new InputError(`"${subject}" is not an entity reference`);
      }
      const entity: Entity | undefined =
        await this.options.catalog.getEntityByRef(ref, {
          credentials: op.credentials,
        });
      if (entity && isGroupEntity(entity)) {
        add(this.options.groupsClaim, entity.metadata.name);
      } else if (entity && isUserEntity(entity)) {
        // Kargo matches users by their email, or by their subject without one.
        const email = entity.spec.profile?.email;
        add(email ? 'email' : 'sub', email ?? entity.metadata.name);
      } else {
        throw new InputError(`${ref} is no group or user in the catalog`);
      }
    }
    return [...claims].map(([name, values]) => ({
      name,
      values: [...values].sort(),
    }));
  }

  /** Grants (or revokes) a Kargo role to portal groups and users, as the claims Kargo matches. */
  changeGrants(call: OperationCall<unknown>, change: 'grants' | 'revocations') {
    const eventId =
      change === 'grants' ? 'kargo-role-grant' : 'kargo-role-revoke';
    return this.run.checked(eventId, call, subjects, async op => {
      await op.authorize(kargoProjectManagePermission, [
        kargoProjectResourceRef(op.instance, op.project),
      ]);
      const role = parse(roleName, op.params.role, 'role');
      if (role === KARGO_ADMIN_ROLE) {
        // Kargo's admin role can do anything in the project, past every portal check.
        await op.authorize(kargoProjectAdminGrantPermission, [
          kargoProjectResourceRef(op.instance, op.project),
        ]);
      }
      if (role !== KARGO_VIEWER_ROLE) {
        // A role that may change anything lets its holders act in Kargo itself, in every
        // stage, past the portal's checks (and revoking it takes that from someone else).
        await authorizeProjectChange(
          op,
          kargoProjectManagePermission,
          allStages(await op.snapshot()),
        );
      }
      const existing = await op.reader.listRoles(op.project);
      if (!existing.some(r => r.metadata?.name === role)) {
        throw new NotFoundError(
          `Project "${op.project}" has no Kargo role "${role}"`,
        );
      }
      const claims = await this.claimsOf(op);
      Object.assign(op.meta, { role, subjects: op.body.subjects, claims });
      const updated =
        change === 'grants'
          ? await op.writer.grantRoleToClaims(op.project, role, claims)
          : await op.writer.revokeRoleFromClaims(op.project, role, claims);
      op.meta.kargoCall = `POST /v1beta1/projects/${op.project}/roles/${change}`;
      return { status: 200, body: updated as any };
    });
  }

  setAutoPromotion(call: OperationCall<unknown>) {
    return this.run.checked(
      'kargo-auto-promotion-update',
      call,
      autoPromotion,
      async op => {
        const name = parse(objectName, op.params.stage, 'stage');
        // Auto-promotion promotes into the stage: it needs the stage, not only the project.
        await authorizeProjectChange(op, kargoProjectManagePermission, [name]);
        const stage = (await op.snapshot()).stages.find(
          s => s.metadata?.name === name,
        );
        if (!stage) {
          throw new NotFoundError(
            `Project "${op.project}" has no stage "${name}"`,
          );
        }
        Object.assign(op.meta, { stage: name, enabled: op.body.enabled });
        const hold = (await this.options.store.listAutoPromotionHolds(op)).find(
          h => h.stage === name,
        );
        if (hold) {
          // A freeze holds auto-promotion off: the choice applies when the freeze ends.
          await this.options.store.deleteAutoPromotionHold(op, name);
          await this.options.store.putAutoPromotionHold(op, {
            ...hold,
            previous: op.body.enabled,
          });
          op.meta.heldByFreeze = true;
          return {
            status: 200,
            body: { autoPromotionEnabled: op.body.enabled, heldByFreeze: true },
          };
        }
        const config = (await op.reader
          .getProjectConfig(op.project)
          .catch(orNone)) ?? { spec: {} };
        await updatePromotionPolicies(
          op.writer,
          op.project,
          config,
          withAutoPromotion(
            config.spec?.promotionPolicies ?? [],
            stage,
            op.body.enabled,
          ),
        );
        op.meta.kargoCall = 'PUT /v1beta1/resources (ProjectConfig)';
        return {
          status: 200,
          body: { autoPromotionEnabled: op.body.enabled, heldByFreeze: false },
        };
      },
    );
  }
}
