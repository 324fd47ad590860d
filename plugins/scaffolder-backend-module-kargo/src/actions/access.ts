import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  isErrorWithName,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  kargoProjectManagePermission,
  kargoProjectResourceRef,
  kargoStageManagePermission,
  kargoStageResourceRef,
  requestsFreightFrom,
  type Stage,
} from '@kargo-backstage/plugin-kargo-common';
import {
  authorizeKargo,
  KargoClient,
} from '@kargo-backstage/plugin-kargo-node';
import { ActionContext } from '@backstage/plugin-scaffolder-node';

/** The task secret a user's own Kargo token travels in, for instances with `forwardUserToken`. */
export const KARGO_TOKEN_SECRET = 'kargoToken';

/**
 * One permission to check: a basic one, or a resource permission on each of `resourceRefs`.
 */
export type KargoPermissionCheck =
  | { permission: BasicPermission }
  | { permission: ResourcePermission; resourceRefs: string[] };

/**
 * Decides the checks for the user who started the template as the Kargo backend's routes
 * decide theirs (`authorizeKargo`: a service gets only what its access restrictions name). Throws NotAllowedError naming every refused permission and
 * resource, so nothing is changed before all checks passed.
 */
export async function authorizeInitiator(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  checks: KargoPermissionCheck[],
): Promise<void> {
  const requests = checks.flatMap((check): AuthorizePermissionRequest[] =>
    'resourceRefs' in check
      ? check.resourceRefs.map(resourceRef => ({
          permission: check.permission,
          resourceRef,
        }))
      : [{ permission: check.permission }],
  );
  if (!requests.length) return;
  const decisions = await authorizeKargo(permissions, requests, credentials);
  const refused = new Map<string, string[]>();
  requests.forEach((request, i) => {
    if (decisions[i]?.result === AuthorizeResult.ALLOW) return;
    const refs = refused.get(request.permission.name) ?? [];
    if (request.resourceRef) refs.push(request.resourceRef);
    refused.set(request.permission.name, refs);
  });
  if (refused.size) {
    throw new NotAllowedError(
      `Not allowed: ${[...refused]
        .map(([name, refs]) =>
          refs.length ? `${name} on ${refs.join(', ')}` : name,
        )
        .join('; ')}`,
    );
  }
}

/** The entity ref of the user who started the template, when a user did. */
export function initiatorUserRef(
  credentials: BackstageCredentials,
): string | undefined {
  const principal = credentials.principal as { userEntityRef?: string };
  return principal.userEntityRef?.toLocaleLowerCase('en-US');
}

/**
 * The client that makes the change. On an instance with `forwardUserToken`, Kargo must see the
 * user's own token, taken from the task secret `kargoToken`; without it the action fails
 * rather than act with the portal's token. Reads keep the portal's client, as in the backend.
 * The token is never logged nor put in an output or an error.
 */
export function writerFor(
  client: KargoClient,
  ctx: Pick<ActionContext<any, any, any>, 'secrets'>,
): KargoClient {
  if (!client.instance.forwardUserToken) return client;
  return client.withToken(userKargoToken(client.instance.name, ctx));
}

/** The user's Kargo token from the task secrets; throws, naming the secret, when missing. */
export function userKargoToken(
  instance: string,
  ctx: Pick<ActionContext<any, any, any>, 'secrets'>,
): string {
  const token = ctx.secrets?.[KARGO_TOKEN_SECRET];
  if (typeof token !== 'string' || !token.trim()) {
    throw new AuthenticationError(
      `Kargo instance "${instance}" acts with the user's own Kargo token (forwardUserToken); the task has no secret "${KARGO_TOKEN_SECRET}" (secrets.${KARGO_TOKEN_SECRET})`,
    );
  }
  return token.trim();
}

/** Whether Kargo has the project (read with the portal's token); other errors are thrown. */
export async function projectExists(
  client: KargoClient,
  project: string,
): Promise<boolean> {
  try {
    await client.getProject(project);
    return true;
  } catch (error) {
    if (isErrorWithName(error, 'NotFoundError')) return false;
    throw error;
  }
}

/** Throws NotFoundError unless Kargo has the project. */
export async function requireProject(
  client: KargoClient,
  project: string,
  action: string,
): Promise<void> {
  if (!(await projectExists(client, project))) {
    throw new NotFoundError(
      `Kargo instance "${client.instance.name}" has no project "${project}"; ${action} works only in an existing project (create it with kargo:project:init)`,
    );
  }
}

/** The project's stages as Kargo has them now (the portal's token). */
export async function currentStages(
  client: KargoClient,
  project: string,
): Promise<Stage[]> {
  return (await client.listStages(project)).items ?? [];
}

/**
 * What changing an existing project from a template needs, as the backend's routes check it:
 * kargo.project.manage on the project, the project in Kargo, then kargo.stage.manage on every
 * stage the change governs (`governs` picks them among the project's stages). Returns the
 * client that makes the change.
 */
export async function authorizeExistingProjectChange(options: {
  permissions: PermissionsService;
  ctx: Pick<
    ActionContext<any, any, any>,
    'secrets' | 'getInitiatorCredentials'
  >;
  client: KargoClient;
  project: string;
  action: string;
  governs(stages: Stage[]): string[];
}): Promise<KargoClient> {
  const { permissions, ctx, client, project } = options;
  const instance = client.instance.name;
  const credentials = await ctx.getInitiatorCredentials();
  const writer = writerFor(client, ctx);
  await authorizeInitiator(permissions, credentials, [
    {
      permission: kargoProjectManagePermission,
      resourceRefs: [kargoProjectResourceRef(instance, project)],
    },
  ]);
  await requireProject(client, project, options.action);
  const stages = options.governs(await currentStages(client, project));
  await authorizeInitiator(permissions, credentials, [
    {
      permission: kargoStageManagePermission,
      resourceRefs: stages.map(s =>
        kargoStageResourceRef(instance, project, s),
      ),
    },
  ]);
  return writer;
}

/**
 * The names of the stages a change to the other resources governs, among `stages` (Kargo's and
 * those the change brings): a Warehouse governs the stages it feeds, a PromotionTask those whose
 * promotion steps use it, an AnalysisTemplate those it verifies, a ProjectConfig (promotion
 * policies select stages by name or label) every stage.
 */
export function stagesGovernedBy(
  resources: Array<{ kind: string; name: string }>,
  stages: Array<{ metadata?: { name?: string }; spec?: unknown }>,
): string[] {
  const names = new Set<string>();
  for (const stage of stages) {
    const name = stage.metadata?.name;
    if (!name) continue;
    const spec = (stage.spec ?? {}) as any;
    const governs = resources.some(({ kind, name: resource }) => {
      switch (kind) {
        case 'Stage':
          return resource === name;
        case 'ProjectConfig':
          return true;
        case 'Warehouse':
          return requestsFreightFrom({ spec }, resource);
        case 'PromotionTask':
          return (spec.promotionTemplate?.spec?.steps ?? []).some(
            (s: any) =>
              s?.task?.name === resource &&
              (s.task.kind ?? 'PromotionTask') === 'PromotionTask',
          );
        case 'AnalysisTemplate':
          return (spec.verification?.analysisTemplates ?? []).some(
            (t: any) =>
              t?.name === resource && t.kind !== 'ClusterAnalysisTemplate',
          );
        default:
          return false;
      }
    });
    if (governs) names.add(name);
  }
  for (const { kind, name } of resources) {
    if (kind === 'Stage') names.add(name);
  }
  return [...names].sort();
}
