import { HttpError } from './HttpError';
import {
  normalizePolicyRules,
  PolicyRule,
  PROJECT_ROLE_RULES,
} from '../rbac/policyRules';

/** Kargo's view of a project role (`rbacapi.Role`): who (OIDC claims) and what. */
export interface SimulatedRole {
  apiVersion: 'rbac.kargo.akuity.io/v1alpha1';
  kind: 'Role';
  metadata: { name: string; namespace: string; creationTimestamp: string };
  kargoManaged: boolean;
  claims: Claim[];
  rules: PolicyRule[];
}

type Claim = { name: string; values: string[] };
/** Claims of a grant or revocation as sent: each needs a name and values. */
type ClaimsInput = Array<{ name?: string; values?: string[] }>;

function checkedClaims(claims: ClaimsInput): Claim[] {
  for (const claim of claims) {
    if (!claim.name || !claim.values?.length) {
      throw new HttpError(400, 'claims must have a name and values');
    }
  }
  return claims as Claim[];
}

/**
 * The roles Kargo's management controller gives every project, with their rules as Kargo
 * reports them (normalized; rbac/policyRules.ts).
 */
const DEFAULTS: Record<string, SimulatedRole['rules']> = Object.fromEntries(
  Object.entries(PROJECT_ROLE_RULES).map(([name, rules]) => [
    name,
    normalizePolicyRules(rules),
  ]),
);

/**
 * Project roles as Kargo keeps them (ServiceAccount + Role + RoleBinding, reported as one
 * `Role`), with grants of OIDC claims: enough for portal personas to be bound to groups.
 */
export class SimulatedRoles {
  private readonly roles = new Map<string, SimulatedRole>();

  private key(project: string, role: string) {
    return `${project}/${role}`;
  }

  /** Kargo creates the default roles when a project appears. */
  ensureDefaults(project: string, now: string) {
    for (const [name, rules] of Object.entries(DEFAULTS)) {
      if (this.roles.has(this.key(project, name))) continue;
      this.roles.set(this.key(project, name), {
        apiVersion: 'rbac.kargo.akuity.io/v1alpha1',
        kind: 'Role',
        metadata: { name, namespace: project, creationTimestamp: now },
        kargoManaged: true,
        claims: [],
        rules,
      });
    }
  }

  list(project: string): SimulatedRole[] {
    return [...this.roles.values()]
      .filter(r => r.metadata.namespace === project)
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  }

  get(project: string, role: string): SimulatedRole {
    const found = this.roles.get(this.key(project, role));
    if (!found) {
      throw new HttpError(
        404,
        `serviceaccounts "${role}" not found in namespace "${project}"`,
      );
    }
    return found;
  }

  /** The role, with each of the checked claims and the role's claim of that name, if any. */
  private eachClaim(
    project: string,
    role: string,
    claims: ClaimsInput,
    apply: (target: SimulatedRole, claim: Claim, existing?: Claim) => void,
  ): SimulatedRole {
    const target = this.get(project, role);
    for (const claim of checkedClaims(claims)) {
      apply(
        target,
        claim,
        target.claims.find(c => c.name === claim.name),
      );
    }
    return target;
  }

  /** POST .../roles/grants with userClaims: adds claim values, keeping the others. */
  grant(project: string, role: string, claims: ClaimsInput): SimulatedRole {
    return this.eachClaim(project, role, claims, (target, claim, existing) => {
      if (existing) {
        existing.values = [
          ...new Set([...existing.values, ...claim.values]),
        ].sort();
      } else {
        target.claims.push({
          name: claim.name,
          values: [...new Set(claim.values)].sort(),
        });
      }
    });
  }

  /** POST .../roles/revocations with userClaims: removes claim values (and emptied claims). */
  revoke(project: string, role: string, claims: ClaimsInput): SimulatedRole {
    const target = this.eachClaim(
      project,
      role,
      claims,
      (_, claim, existing) => {
        if (existing) {
          existing.values = existing.values.filter(
            v => !claim.values.includes(v),
          );
        }
      },
    );
    target.claims = target.claims.filter(c => c.values.length > 0);
    return target;
  }
}

/**
 * The Kubernetes resources behind a role (`rbacapi.RoleResources`), what Kargo answers for
 * `?as-resources=true`: its ServiceAccount (claims as an annotation), Role and RoleBinding.
 */
export function roleResources(role: SimulatedRole) {
  const { name, namespace, creationTimestamp } = role.metadata;
  const managed = role.kargoManaged
    ? { 'rbac.kargo.akuity.io/managed': 'true' }
    : undefined;
  const claims = role.claims.length
    ? {
        'rbac.kargo.akuity.io/claims': JSON.stringify(
          Object.fromEntries(role.claims.map(c => [c.name, c.values])),
        ),
      }
    : undefined;
  const meta = (annotations?: Record<string, string>) => ({
    name,
    namespace,
    creationTimestamp,
    ...(annotations ? { annotations } : {}),
  });
  return {
    metadata: { name, namespace },
    serviceAccount: {
      metadata: meta(managed || claims ? { ...managed, ...claims } : undefined),
    },
    roles: [{ metadata: meta(managed), rules: role.rules }],
    roleBindings: [
      {
        metadata: meta(managed),
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name,
        },
        subjects: [{ kind: 'ServiceAccount', name, namespace }],
      },
    ],
  };
}
