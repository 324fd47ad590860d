import { HttpError } from '../http/HttpError';
import {
  KARGO_GROUP,
  KARGO_NAMESPACE,
  PolicyRule,
  PROJECT_ADMIN_RULES,
  projectAdminClusterRules,
  SYSTEM_ADMIN_NAMESPACE_RULES,
  SYSTEM_ROLE_RULES,
} from './policyRules';

/** What a SubjectAccessReview asks (k8s.io/api/authorization/v1 ResourceAttributes). */
export interface ResourceAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** Empty for cluster-scoped resources (projects). */
  namespace: string;
  name?: string;
}

/** Who asks: Kargo's admin account, or a ServiceAccount that stands for a Kargo role. */
export type Subject =
  | { admin: true }
  | {
      admin?: false;
      role: string;
      /** The project of a project-level role; Kargo's own namespace for a system-level one. */
      namespace: string;
    };

const CORE = [
  'configmaps',
  'events',
  'namespaces',
  'secrets',
  'serviceaccounts',
];
const RBAC = ['roles', 'rolebindings'];
const ROLLOUTS = [
  'analysisruns',
  'analysistemplates',
  'clusteranalysistemplates',
];

/**
 * The attributes of `verb` on `resource` ("stages", "freights/status", "secrets", …) in a
 * namespace, with the API group the resource belongs to.
 */
export function attributes(
  verb: string,
  resource: string,
  namespace: string,
  name?: string,
): ResourceAttributes {
  const [base, subresource] = resource.split('/');
  let group = KARGO_GROUP;
  if (CORE.includes(base)) group = '';
  else if (RBAC.includes(base)) group = 'rbac.authorization.k8s.io';
  else if (ROLLOUTS.includes(base)) group = 'argoproj.io';
  return { verb, group, resource: base, subresource, namespace, name };
}

/** Kubernetes RBAC's RuleAllows (k8s.io/component-helpers/auth/rbac/validation). */
export function ruleAllows(rule: PolicyRule, ra: ResourceAttributes): boolean {
  const combined = ra.subresource
    ? `${ra.resource}/${ra.subresource}`
    : ra.resource;
  return (
    (rule.verbs.includes('*') || rule.verbs.includes(ra.verb)) &&
    (rule.apiGroups.includes('*') || rule.apiGroups.includes(ra.group)) &&
    rule.resources.some(
      r =>
        r === '*' ||
        r === combined ||
        (!!ra.subresource && r === `*/${ra.subresource}`),
    ) &&
    (!rule.resourceNames?.length || rule.resourceNames.includes(ra.name ?? ''))
  );
}

/**
 * The rules that apply to a subject's request, as Kubernetes finds them through the bindings
 * Kargo makes: a project role's Role only in its project's namespace (plus, for the project's
 * kargo-admin, its `kargo-project-admin-<project>` ClusterRole); a system role's ClusterRole
 * everywhere (plus, for the system kargo-admin, Secrets in Kargo's namespace and the
 * `kargo-project-admin` ClusterRole in every project).
 */
export function rulesFor(
  subject: Exclude<Subject, { admin: true }>,
  namespace: string,
  projectRoleRules: (project: string, role: string) => PolicyRule[],
): PolicyRule[] {
  const { role } = subject;
  if (subject.namespace !== KARGO_NAMESPACE) {
    if (namespace === subject.namespace) {
      return projectRoleRules(subject.namespace, role);
    }
    return namespace === '' && role === 'kargo-admin'
      ? projectAdminClusterRules(subject.namespace)
      : [];
  }
  const rules = [...(SYSTEM_ROLE_RULES[role] ?? [])];
  if (role === 'kargo-admin' && namespace === KARGO_NAMESPACE) {
    rules.push(...SYSTEM_ADMIN_NAMESPACE_RULES);
  } else if (role === 'kargo-admin' && namespace !== '') {
    rules.push(...PROJECT_ADMIN_RULES);
  }
  return rules;
}

/**
 * Kargo's refusal (pkg/server/kubernetes/client.go, newForbiddenError): Kubernetes' Forbidden
 * with "<verb> is not permitted". Callers that sent a Kubernetes token (API tokens) get it
 * wrapped by reviewSubjectAccess; OIDC users get it as it is.
 */
export function forbidden(
  ra: ResourceAttributes,
  bearerToken: boolean,
): HttpError {
  const resource = ra.group ? `${ra.resource}.${ra.group}` : ra.resource;
  const object = ra.name ? `${resource} "${ra.name}"` : resource;
  return new HttpError(
    403,
    `${bearerToken ? 'review subject access: ' : ''}${object} is forbidden: ${
      ra.verb
    } is not permitted`,
  );
}
