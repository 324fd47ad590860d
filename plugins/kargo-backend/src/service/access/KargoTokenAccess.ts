import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  KargoTokenAccess as Access,
  KargoTokenAction,
} from '@kargo-backstage/plugin-kargo-common';
import { KargoClient } from '@kargo-backstage/plugin-kargo-node';

/** A Kubernetes RBAC PolicyRule, as Kargo reports a role's rules. */
interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
}

const KARGO = 'kargo.akuity.io';

/** One SubjectAccessReview Kargo's handler makes as the caller: `verb` on a resource. */
interface Need {
  verb: string;
  /** "stages", "freights/status", or a core resource such as "secrets". */
  resource: string;
  group?: string;
}

const need = (verb: string, resource: string, group = KARGO): Need => ({
  verb,
  resource,
  group,
});

/**
 * What Kargo v1.11 checks, as the caller, for each portal action (pkg/server: the handler's
 * authorizeFn and every read or write through its authorizing client), and which default role
 * has it (ensureDefaultUserRoles, pkg/controller/management/projects/projects.go).
 * Refreshing stages, warehouses and promotions needs nothing: Kargo patches those with its own
 * identity (refresh_*_v1alpha1.go use the internal client).
 */
const NEEDS: Record<KargoTokenAction, { needs: Need[]; roles: string }> = {
  // promote_to_stage_v1alpha1.go, promote_downstream_v1alpha1.go
  promote: {
    needs: [
      need('get', 'stages'),
      need('list', 'stages'),
      need('promote', 'stages'),
      need('get', 'freights'),
      need('create', 'promotions'),
    ],
    roles: 'kargo-promoter or kargo-admin',
  },
  // approve_freight_v1alpha1.go: promote on the stage, then Freight status patched as the caller
  approve: {
    needs: [
      need('get', 'freights'),
      need('get', 'stages'),
      need('promote', 'stages'),
      need('patch', 'freights/status'),
    ],
    roles: 'kargo-promoter or kargo-admin',
  },
  // abort_promotion_v1alpha1.go → api.AbortPromotion patches the Promotion
  abortPromotion: {
    needs: [need('get', 'promotions'), need('patch', 'promotions')],
    roles: 'kargo-admin',
  },
  // reverify_v1alpha1.go, abort_verification_v1alpha1.go patch the Stage
  reverify: {
    needs: [need('get', 'stages'), need('patch', 'stages')],
    roles: 'kargo-admin',
  },
  // update_freight_alias_v1alpha1.go patches the Freight
  updateFreightAlias: {
    needs: [
      need('get', 'freights'),
      need('list', 'freights'),
      need('patch', 'freights'),
    ],
    roles: 'kargo-admin',
  },
  // create_resource_v1alpha1.go (Freight)
  createFreight: {
    needs: [need('get', 'freights'), need('create', 'freights')],
    roles: 'kargo-admin',
  },
  // update_resource_v1alpha1.go (Warehouse)
  updateWarehouse: {
    needs: [need('get', 'warehouses'), need('update', 'warehouses')],
    roles: 'kargo-admin',
  },
  // update_resource_v1alpha1.go (ProjectConfig, created when the project has none)
  updatePromotionPolicies: {
    needs: [
      need('get', 'projectconfigs'),
      need('update', 'projectconfigs'),
      need('create', 'projectconfigs'),
    ],
    roles: 'kargo-admin',
  },
  // What the freezer needs to hold auto-promotion off during a freeze: it always writes the
  // ProjectConfig with the portal's token, even where users' own tokens are forwarded.
  holdAutoPromotion: {
    needs: [need('get', 'projectconfigs'), need('update', 'projectconfigs')],
    roles: 'kargo-admin',
  },
  // grant_v1alpha1.go, revoke_v1alpha1.go: rbac.RolesDatabase updates the ServiceAccount
  grantRoles: {
    needs: [
      need('get', 'serviceaccounts', ''),
      need('list', 'rolebindings', 'rbac.authorization.k8s.io'),
      need('get', 'roles', 'rbac.authorization.k8s.io'),
      need('update', 'serviceaccounts', ''),
    ],
    roles: 'kargo-admin',
  },
  // list_repo_credentials_v1alpha1.go
  readCredentials: {
    needs: [need('list', 'secrets', '')],
    roles: 'kargo-admin',
  },
  // create_/update_/delete_repo_credentials_v1alpha1.go
  manageCredentials: {
    needs: [
      need('create', 'secrets', ''),
      need('get', 'secrets', ''),
      need('update', 'secrets', ''),
      need('delete', 'secrets', ''),
    ],
    roles: 'kargo-admin',
  },
};

const READ = ['get', 'list', 'watch'];
const WRITE = [
  ...READ,
  'create',
  'delete',
  'deletecollection',
  'patch',
  'update',
];

/**
 * The rules of the system-level roles in project namespaces: the chart's ClusterRoles
 * (charts/kargo/templates/users/cluster-roles.yaml), which Kargo's API does not report
 * (GET /v1beta1/system/roles/{role} shows only RoleBindings of Kargo's namespace), plus, for
 * kargo-admin, the kargo-project-admin ClusterRole bound in every project
 * (templates/common/cluster-roles.yaml, ensureSystemPermissions).
 */
const SYSTEM_ROLES: Record<string, PolicyRule[]> = {
  'kargo-admin': [
    { apiGroups: [''], resources: ['events', 'serviceaccounts'], verbs: READ },
    {
      apiGroups: ['rbac.authorization.k8s.io'],
      resources: ['rolebindings', 'roles'],
      verbs: ['*'],
    },
    {
      apiGroups: [KARGO],
      resources: [
        'freights',
        'projectconfigs',
        'promotiontasks',
        'stages',
        'warehouses',
      ],
      verbs: WRITE,
    },
    { apiGroups: [KARGO], resources: ['stages'], verbs: ['promote'] },
    {
      apiGroups: [KARGO],
      resources: ['promotions'],
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'watch'],
    },
    { apiGroups: [KARGO], resources: ['freights/status'], verbs: ['patch'] },
    {
      apiGroups: [''],
      resources: ['configmaps', 'secrets', 'serviceaccounts'],
      verbs: ['*'],
    },
  ],
  'kargo-viewer': [
    { apiGroups: [''], resources: ['events', 'serviceaccounts'], verbs: READ },
    {
      apiGroups: ['rbac.authorization.k8s.io'],
      resources: ['rolebindings', 'roles'],
      verbs: READ,
    },
    {
      apiGroups: [KARGO],
      resources: [
        'freights',
        'projectconfigs',
        'promotions',
        'promotiontasks',
        'stages',
        'warehouses',
      ],
      verbs: READ,
    },
  ],
  'kargo-user': [],
  'kargo-project-creator': [],
};

/**
 * Kubernetes RBAC's RuleAllows, for a request whose object name is not known: a rule limited to
 * resourceNames may allow it, so it counts (the portal disables only what Kargo would refuse).
 */
function mayAllow(rule: PolicyRule, n: Need): boolean {
  const subresource = n.resource.split('/')[1];
  const has = (list: string[] | undefined, value: string) =>
    !!list?.includes('*') || !!list?.includes(value);
  return (
    has(rule.verbs, n.verb) &&
    has(rule.apiGroups, n.group ?? KARGO) &&
    (has(rule.resources, n.resource) ||
      (!!subresource && !!rule.resources?.includes(`*/${subresource}`)))
  );
}

/** Who the token is, from its claims (read, not verified: Kargo verifies it). */
export function serviceAccountOf(
  token: string | undefined,
): { namespace: string; name: string } | undefined {
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const match = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(
      String(claims?.sub ?? ''),
    );
    return match ? { namespace: match[1], name: match[2] } : undefined;
  } catch {
    return undefined;
  }
}

/** What rules the token has in a project, and how to name its role; undefined when unknown. */
async function rulesOf(
  client: KargoClient,
  project: string,
): Promise<{ role: string; rules: PolicyRule[] } | undefined> {
  const sa = serviceAccountOf(client.instance.token);
  // Kargo's admin account, an OIDC token or one the portal cannot read: Kargo alone knows.
  if (!sa) return undefined;
  if (sa.namespace === project) {
    const role = await client.getRole(project, sa.name);
    return { role: sa.name, rules: role.rules ?? [] };
  }
  // A ServiceAccount elsewhere: a system-level role (Kargo's namespace), or another project's.
  const system = await client.getSystemRole(sa.name).catch(() => undefined);
  if (system?.metadata?.namespace === sa.namespace) {
    const rules = SYSTEM_ROLES[sa.name];
    return rules ? { role: `system ${sa.name}`, rules } : undefined;
  }
  return { role: `${sa.name} of project ${sa.namespace}`, rules: [] };
}

/** How long what a token may do is kept (Kargo's roles rarely change). */
const TTL_MS = 5 * 60 * 1000;

/**
 * What the portal's Kargo token may do in a project, learnt from Kargo: the token is a Kargo
 * API token (a ServiceAccount token, so its claims name the role's ServiceAccount), and Kargo
 * answers that role's rules (GET /v1beta1/projects/{project}/roles/{role}). The portal then
 * disables what Kargo would refuse and says why. Tokens it cannot read (Kargo's admin, OIDC)
 * or roles it cannot read leave everything enabled: Kargo still decides each call.
 */
export class KargoTokenAccess {
  private readonly known = new Map<
    string,
    { until: number; access: Promise<Access> }
  >();

  constructor(
    private readonly logger?: LoggerService,
    private readonly now: () => number = Date.now,
  ) {}

  forProject(client: KargoClient, project: string): Promise<Access> {
    const key = `${client.instance.name}/${project}`;
    const kept = this.known.get(key);
    if (kept && kept.until > this.now()) return kept.access;
    const access = this.read(client, project).catch(error => {
      this.logger?.debug(
        `Cannot tell what the Kargo token of instance "${client.instance.name}" may do in ${project}: ${error}`,
      );
      return { denied: {} };
    });
    this.known.set(key, { until: this.now() + TTL_MS, access });
    if (this.known.size > 500) {
      this.known.delete(this.known.keys().next().value!);
    }
    return access;
  }

  private async read(client: KargoClient, project: string): Promise<Access> {
    const found = await rulesOf(client, project);
    if (!found) return { denied: {} };
    const denied: Access['denied'] = {};
    for (const [action, { needs, roles }] of Object.entries(NEEDS) as Array<
      [KargoTokenAction, (typeof NEEDS)[KargoTokenAction]]
    >) {
      // With forwardUserToken the user's own token makes the changes, except the freezer's.
      if (client.instance.forwardUserToken && action !== 'holdAutoPromotion') {
        continue;
      }
      const missing = needs.find(n => !found.rules.some(r => mayAllow(r, n)));
      if (missing) {
        denied[
          action
        ] = `Kargo would refuse the portal's token (role ${found.role}): it may not ${missing.verb} ${missing.resource}; this needs ${roles}`;
      }
    }
    return { role: found.role, denied };
  }
}
