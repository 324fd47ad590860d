/** A Kubernetes RBAC PolicyRule (k8s.io/api/rbac/v1). */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

export const KARGO_GROUP = 'kargo.akuity.io';
const RBAC_GROUP = 'rbac.authorization.k8s.io';
const ROLLOUTS_GROUP = 'argoproj.io';
const READ = ['get', 'list', 'watch'];

/** The namespace Kargo runs in (KARGO_NAMESPACE, default "kargo"): system-level roles live there. */
export const KARGO_NAMESPACE = 'kargo';

/**
 * The roles Kargo's management controller gives every project, rule for rule
 * (pkg/controller/management/projects/projects.go, ensureDefaultUserRoles).
 */
export const PROJECT_ROLE_RULES: Record<string, PolicyRule[]> = {
  'kargo-admin': [
    { apiGroups: [''], resources: ['events'], verbs: READ },
    {
      apiGroups: [''],
      resources: ['configmaps', 'secrets', 'serviceaccounts'],
      verbs: ['*'],
    },
    {
      apiGroups: [RBAC_GROUP],
      resources: ['rolebindings', 'roles'],
      verbs: ['*'],
    },
    {
      apiGroups: [KARGO_GROUP],
      resources: [
        'freights',
        'projectconfigs',
        'promotiontasks',
        'stages',
        'warehouses',
      ],
      verbs: ['*'],
    },
    { apiGroups: [KARGO_GROUP], resources: ['stages'], verbs: ['promote'] },
    {
      apiGroups: [KARGO_GROUP],
      resources: ['promotions'],
      verbs: ['create', 'delete', 'get', 'list', 'watch', 'patch'],
    },
    {
      apiGroups: [KARGO_GROUP],
      resources: ['freights/status'],
      verbs: ['patch'],
    },
    {
      apiGroups: [ROLLOUTS_GROUP],
      resources: ['analysisruns'],
      verbs: ['delete', 'get', 'list', 'watch'],
    },
    {
      apiGroups: [ROLLOUTS_GROUP],
      resources: ['analysistemplates'],
      verbs: ['*'],
    },
  ],
  'kargo-viewer': [
    {
      apiGroups: [''],
      resources: ['configmaps', 'events', 'serviceaccounts'],
      verbs: READ,
    },
    {
      apiGroups: [RBAC_GROUP],
      resources: ['rolebindings', 'roles'],
      verbs: READ,
    },
    {
      apiGroups: [KARGO_GROUP],
      resources: [
        'freights',
        'promotions',
        'stages',
        'warehouses',
        'projectconfigs',
      ],
      verbs: READ,
    },
    {
      apiGroups: [ROLLOUTS_GROUP],
      resources: ['analysisruns', 'analysistemplates'],
      verbs: READ,
    },
  ],
  'kargo-promoter': [
    {
      apiGroups: [''],
      resources: ['configmaps', 'events', 'serviceaccounts'],
      verbs: READ,
    },
    {
      apiGroups: [RBAC_GROUP],
      resources: ['rolebindings', 'roles'],
      verbs: READ,
    },
    {
      apiGroups: [KARGO_GROUP],
      resources: ['freights', 'stages', 'warehouses', 'projectconfigs'],
      verbs: READ,
    },
    { apiGroups: [KARGO_GROUP], resources: ['stages'], verbs: ['promote'] },
    {
      apiGroups: [KARGO_GROUP],
      resources: ['promotions'],
      verbs: ['create', 'get', 'list', 'watch'],
    },
    {
      apiGroups: [KARGO_GROUP],
      resources: ['freights/status'],
      verbs: ['patch'],
    },
    {
      apiGroups: [ROLLOUTS_GROUP],
      resources: ['analysisruns', 'analysistemplates'],
      verbs: READ,
    },
  ],
};

/**
 * What the project's own kargo-admin also holds, cluster-wide: update and delete of its Project
 * (the `kargo-project-admin-<project>` ClusterRole and binding of ensureDefaultUserRoles).
 */
export const projectAdminClusterRules = (project: string): PolicyRule[] => [
  {
    apiGroups: [KARGO_GROUP],
    resources: ['projects'],
    resourceNames: [project],
    verbs: ['delete', 'update'],
  },
];

const KARGO_WRITE = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/**
 * The system-level roles: ServiceAccounts of Kargo's namespace bound to the chart's ClusterRoles
 * of the same name (charts/kargo/templates/users/*.yaml, with api.rollouts.integrationEnabled).
 */
export const SYSTEM_ROLE_RULES: Record<string, PolicyRule[]> = {
  'kargo-admin': [
    {
      apiGroups: [''],
      resources: ['events', 'namespaces', 'serviceaccounts'],
      verbs: READ,
    },
    {
      apiGroups: [RBAC_GROUP],
      resources: ['rolebindings', 'roles'],
      verbs: READ,
    },
    {
      apiGroups: [KARGO_GROUP],
      resources: [
        'clusterconfigs',
        'clusterpromotiontasks',
        'freights',
        'projects',
        'projectconfigs',
        'promotiontasks',
        'stages',
        'warehouses',
      ],
      verbs: KARGO_WRITE,
    },
    { apiGroups: [KARGO_GROUP], resources: ['stages'], verbs: ['promote'] },
    {
      apiGroups: [KARGO_GROUP],
      resources: ['promotions'],
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'watch'],
    },
    {
      apiGroups: [KARGO_GROUP],
      resources: ['freights/status'],
      verbs: ['patch'],
    },
    {
      apiGroups: [ROLLOUTS_GROUP],
      resources: ['analysisruns'],
      verbs: ['delete', 'get', 'list', 'watch'],
    },
    {
      apiGroups: [ROLLOUTS_GROUP],
      resources: ['analysistemplates', 'clusteranalysistemplates'],
      verbs: ['*'],
    },
  ],
  'kargo-project-creator': [
    { apiGroups: [''], resources: ['namespaces'], verbs: READ },
    {
      apiGroups: [KARGO_GROUP],
      resources: ['clusterconfigs', 'clusterpromotiontasks'],
      verbs: READ,
    },
    {
      apiGroups: [KARGO_GROUP],
      resources: ['projects'],
      verbs: ['create', ...READ],
    },
    {
      apiGroups: [ROLLOUTS_GROUP],
      resources: ['clusteranalysistemplates'],
      verbs: READ,
    },
  ],
  'kargo-user': [
    { apiGroups: [''], resources: ['namespaces'], verbs: READ },
    {
      apiGroups: [KARGO_GROUP],
      resources: ['clusterconfigs', 'clusterpromotiontasks', 'projects'],
      verbs: READ,
    },
    {
      apiGroups: [ROLLOUTS_GROUP],
      resources: ['clusteranalysistemplates'],
      verbs: READ,
    },
  ],
  'kargo-viewer': [
    {
      apiGroups: [''],
      resources: ['events', 'namespaces', 'serviceaccounts'],
      verbs: READ,
    },
    {
      apiGroups: [RBAC_GROUP],
      resources: ['rolebindings', 'roles'],
      verbs: READ,
    },
    {
      apiGroups: [KARGO_GROUP],
      resources: [
        'clusterconfigs',
        'clusterpromotiontasks',
        'freights',
        'projects',
        'projectconfigs',
        'promotions',
        'promotiontasks',
        'stages',
        'warehouses',
      ],
      verbs: READ,
    },
    {
      apiGroups: [ROLLOUTS_GROUP],
      resources: [
        'analysisruns',
        'analysistemplates',
        'clusteranalysistemplates',
      ],
      verbs: READ,
    },
  ],
};

/**
 * What the system-level kargo-admin holds in the namespaces around the ClusterRole: all of
 * Secrets in Kargo's own (charts/kargo/templates/users/roles.yaml), and the `kargo-project-admin`
 * ClusterRole in every project (bound by ensureSystemPermissions; secrets with
 * api.secretManagementEnabled, the chart's default).
 */
export const SYSTEM_ADMIN_NAMESPACE_RULES: PolicyRule[] = [
  { apiGroups: [''], resources: ['secrets'], verbs: ['*'] },
];
export const PROJECT_ADMIN_RULES: PolicyRule[] = [
  {
    apiGroups: [''],
    resources: ['configmaps', 'secrets', 'serviceaccounts'],
    verbs: ['*'],
  },
  {
    apiGroups: [RBAC_GROUP],
    resources: ['rolebindings', 'roles'],
    verbs: ['*'],
  },
];

const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/**
 * Kargo's NormalizePolicyRules as roles are displayed (pkg/server/rbac/policy_rules.go): one
 * rule per group, resource and resource name, verbs de-duplicated and sorted, `*` expanded
 * (without custom verbs such as promote), ordered by group/resource[/name] with "" as "core".
 */
export function normalizePolicyRules(rules: PolicyRule[]): PolicyRule[] {
  const byKey = new Map<string, PolicyRule>();
  for (const rule of rules) {
    const groups = rule.apiGroups.length ? rule.apiGroups : [''];
    const names = rule.resourceNames?.length ? rule.resourceNames : [''];
    for (const resource of rule.resources) {
      for (const group of groups) {
        for (const name of names) {
          const key = [group || 'core', resource, ...(name ? [name] : [])].join(
            '/',
          );
          let verbs = [...(byKey.get(key)?.verbs ?? []), ...rule.verbs];
          // A "*" replaces what came before it in Kargo's buildRule.
          const star = verbs.lastIndexOf('*');
          if (star >= 0) verbs = [...ALL_VERBS, ...verbs.slice(star + 1)];
          byKey.set(key, {
            apiGroups: [group],
            resources: [resource],
            verbs: [...new Set(verbs)].sort(),
            ...(name ? { resourceNames: [name] } : {}),
          });
        }
      }
    }
  }
  return [...byKey.keys()].sort().map(key => byKey.get(key)!);
}
