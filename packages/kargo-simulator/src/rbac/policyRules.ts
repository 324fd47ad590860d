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
/** Every standard verb: what `*` expands to, and what the chart lists for kargo-admin's resources. */
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

/** The namespace Kargo runs in (KARGO_NAMESPACE, default "kargo"): system-level roles live there. */
export const KARGO_NAMESPACE = 'kargo';

const ruleOf = (
  apiGroup: string,
  resources: string[],
  verbs: string[],
): PolicyRule => ({ apiGroups: [apiGroup], resources, verbs });

// Rules that several roles hold word for word.
const RBAC_READ = ruleOf(RBAC_GROUP, ['rolebindings', 'roles'], READ);
const RBAC_ALL = ruleOf(RBAC_GROUP, ['rolebindings', 'roles'], ['*']);
const CORE_ALL = ruleOf(
  '',
  ['configmaps', 'secrets', 'serviceaccounts'],
  ['*'],
);
const PROJECT_CORE_READ = ruleOf(
  '',
  ['configmaps', 'events', 'serviceaccounts'],
  READ,
);
const PROMOTE = ruleOf(KARGO_GROUP, ['stages'], ['promote']);
const FREIGHT_STATUS = ruleOf(KARGO_GROUP, ['freights/status'], ['patch']);
const ANALYSIS_RUNS_ALL = ruleOf(
  ROLLOUTS_GROUP,
  ['analysisruns'],
  ['delete', 'get', 'list', 'watch'],
);
const ANALYSIS_READ = ruleOf(
  ROLLOUTS_GROUP,
  ['analysisruns', 'analysistemplates'],
  READ,
);
const NAMESPACES_READ = ruleOf('', ['namespaces'], READ);
const CLUSTER_TEMPLATES_READ = ruleOf(
  ROLLOUTS_GROUP,
  ['clusteranalysistemplates'],
  READ,
);

/**
 * The roles Kargo's management controller gives every project, rule for rule
 * (pkg/controller/management/projects/projects.go, ensureDefaultUserRoles).
 */
export const PROJECT_ROLE_RULES: Record<string, PolicyRule[]> = {
  'kargo-admin': [
    ruleOf('', ['events'], READ),
    CORE_ALL,
    RBAC_ALL,
    ruleOf(
      KARGO_GROUP,
      ['freights', 'projectconfigs', 'promotiontasks', 'stages', 'warehouses'],
      ['*'],
    ),
    PROMOTE,
    ruleOf(
      KARGO_GROUP,
      ['promotions'],
      ['create', 'delete', 'get', 'list', 'watch', 'patch'],
    ),
    FREIGHT_STATUS,
    ANALYSIS_RUNS_ALL,
    ruleOf(ROLLOUTS_GROUP, ['analysistemplates'], ['*']),
  ],
  'kargo-viewer': [
    PROJECT_CORE_READ,
    RBAC_READ,
    ruleOf(
      KARGO_GROUP,
      ['freights', 'promotions', 'stages', 'warehouses', 'projectconfigs'],
      READ,
    ),
    ANALYSIS_READ,
  ],
  'kargo-promoter': [
    PROJECT_CORE_READ,
    RBAC_READ,
    ruleOf(
      KARGO_GROUP,
      ['freights', 'stages', 'warehouses', 'projectconfigs'],
      READ,
    ),
    PROMOTE,
    ruleOf(KARGO_GROUP, ['promotions'], ['create', 'get', 'list', 'watch']),
    FREIGHT_STATUS,
    ANALYSIS_READ,
  ],
};

/**
 * What the project's own kargo-admin also holds, cluster-wide: update and delete of its Project
 * (the `kargo-project-admin-<project>` ClusterRole and binding of ensureDefaultUserRoles).
 */
export const projectAdminClusterRules = (project: string): PolicyRule[] => [
  {
    ...ruleOf(KARGO_GROUP, ['projects'], ['delete', 'update']),
    resourceNames: [project],
  },
];

/** The Kargo resources the system-level kargo-admin manages and kargo-viewer reads (with promotions). */
const SYSTEM_KARGO_RESOURCES = [
  'clusterconfigs',
  'clusterpromotiontasks',
  'freights',
  'projects',
  'projectconfigs',
  'promotiontasks',
  'stages',
  'warehouses',
];

/**
 * The system-level roles: ServiceAccounts of Kargo's namespace bound to the chart's ClusterRoles
 * of the same name (charts/kargo/templates/users/*.yaml, with api.rollouts.integrationEnabled).
 */
export const SYSTEM_ROLE_RULES: Record<string, PolicyRule[]> = {
  'kargo-admin': [
    ruleOf('', ['events', 'namespaces', 'serviceaccounts'], READ),
    RBAC_READ,
    ruleOf(KARGO_GROUP, SYSTEM_KARGO_RESOURCES, ALL_VERBS),
    PROMOTE,
    ruleOf(
      KARGO_GROUP,
      ['promotions'],
      ['create', 'delete', 'get', 'list', 'patch', 'watch'],
    ),
    FREIGHT_STATUS,
    ANALYSIS_RUNS_ALL,
    ruleOf(
      ROLLOUTS_GROUP,
      ['analysistemplates', 'clusteranalysistemplates'],
      ['*'],
    ),
  ],
  'kargo-project-creator': [
    NAMESPACES_READ,
    ruleOf(KARGO_GROUP, ['clusterconfigs', 'clusterpromotiontasks'], READ),
    ruleOf(KARGO_GROUP, ['projects'], ['create', ...READ]),
    CLUSTER_TEMPLATES_READ,
  ],
  'kargo-user': [
    NAMESPACES_READ,
    ruleOf(
      KARGO_GROUP,
      ['clusterconfigs', 'clusterpromotiontasks', 'projects'],
      READ,
    ),
    CLUSTER_TEMPLATES_READ,
  ],
  'kargo-viewer': [
    ruleOf('', ['events', 'namespaces', 'serviceaccounts'], READ),
    RBAC_READ,
    ruleOf(KARGO_GROUP, [...SYSTEM_KARGO_RESOURCES, 'promotions'], READ),
    ruleOf(
      ROLLOUTS_GROUP,
      ['analysisruns', 'analysistemplates', 'clusteranalysistemplates'],
      READ,
    ),
  ],
};

/**
 * What the system-level kargo-admin holds in the namespaces around the ClusterRole: all of
 * Secrets in Kargo's own (charts/kargo/templates/users/roles.yaml), and the `kargo-project-admin`
 * ClusterRole in every project (bound by ensureSystemPermissions; secrets with
 * api.secretManagementEnabled, the chart's default).
 */
export const SYSTEM_ADMIN_NAMESPACE_RULES: PolicyRule[] = [
  ruleOf('', ['secrets'], ['*']),
];
export const PROJECT_ADMIN_RULES: PolicyRule[] = [CORE_ALL, RBAC_ALL];

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
