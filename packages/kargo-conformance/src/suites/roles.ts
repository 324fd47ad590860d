import type { KargoRole } from '@kargo-backstage/plugin-kargo-node';
import { Suite } from './suite';

const DEFAULT_ROLES = ['kargo-admin', 'kargo-promoter', 'kargo-viewer'];

/**
 * Kargo's role routes (pkg/server/list_roles_v1alpha1.go, get_role_v1alpha1.go): the list is a
 * bare JSON array sorted by name, not a list object; `?as-resources=true` answers the
 * ServiceAccount, Roles and RoleBindings behind each role instead.
 */
export const roles: Suite = {
  title: 'roles',
  define(c) {
    let project: string;
    beforeAll(async () => {
      project = await c().newProject('roles');
    });

    /** Kargo lists every ServiceAccount of the project's namespace (`default` too, if any). */
    const names = (list: any[]) => list.map(r => r.metadata?.name);

    it("lists a project's roles as a bare array sorted by name", async () => {
      const answer = await c().eventually(
        'the default roles',
        async () => {
          const a = await c().api('GET', `/v1beta1/projects/${project}/roles`);
          return Array.isArray(a.json) &&
            DEFAULT_ROLES.every(r => names(a.json).includes(r))
            ? a
            : undefined;
        },
        10_000,
      );
      expect(answer.status).toBe(200);
      expect(names(answer.json)).toEqual([...names(answer.json)].sort());
      for (const role of answer.json) {
        expect(role.metadata.namespace).toBe(project);
      }
      const viewer = answer.json.find(
        (r: any) => r.metadata.name === 'kargo-viewer',
      );
      expect(viewer.kargoManaged).toBe(true);
      expect(Array.isArray(viewer.rules)).toBe(true);
    });

    it('lists the roles as their Kubernetes resources with as-resources=true', async () => {
      const answer = await c().api(
        'GET',
        `/v1beta1/projects/${project}/roles?as-resources=true`,
      );
      expect(answer.status).toBe(200);
      expect(Array.isArray(answer.json)).toBe(true);
      const admin = answer.json.find(
        (r: any) => r.metadata?.name === 'kargo-admin',
      );
      expect(admin.metadata.namespace).toBe(project);
      expect(admin.serviceAccount.metadata).toMatchObject({
        name: 'kargo-admin',
        namespace: project,
      });
      expect(admin.roles.map((r: any) => r.metadata.name)).toEqual([
        'kargo-admin',
      ]);
      expect(admin.roleBindings[0].roleRef).toMatchObject({
        kind: 'Role',
        name: 'kargo-admin',
      });
      expect(admin.rules).toBeUndefined();
    });

    it('answers one role as a Role, or its resources with as-resources=true', async () => {
      const role = await c().api(
        'GET',
        `/v1beta1/projects/${project}/roles/kargo-promoter`,
      );
      expect(role.status).toBe(200);
      expect(role.json.metadata).toMatchObject({
        name: 'kargo-promoter',
        namespace: project,
      });
      expect(Array.isArray(role.json.rules)).toBe(true);
      const resources = await c().api(
        'GET',
        `/v1beta1/projects/${project}/roles/kargo-promoter?as-resources=true`,
      );
      expect(resources.status).toBe(200);
      expect(resources.json.serviceAccount.metadata.name).toBe(
        'kargo-promoter',
      );
      expect(resources.json.rules).toBeUndefined();
    });

    it('answers 404 with a JSON error for a role that does not exist', async () => {
      const answer = await c().api(
        'GET',
        `/v1beta1/projects/${project}/roles/nope`,
      );
      expect(answer.status).toBe(404);
      expect(typeof answer.json?.error).toBe('string');
    });

    it("lists roles with the client and grants and revokes a role's claims", async () => {
      const client = c().client();
      expect(names(await client.listRoles(project))).toEqual(
        expect.arrayContaining(DEFAULT_ROLES),
      );
      // A claim name of its own: Kargo may have given the project's creator a claim already.
      const claims = [{ name: 'conformance', values: ['someone'] }];
      const valuesOf = (role?: KargoRole) =>
        role?.claims?.find(x => x.name === 'conformance')?.values;
      const granted = await client.grantRoleToClaims(
        project,
        'kargo-viewer',
        claims,
      );
      expect(valuesOf(granted)).toEqual(['someone']);
      const listed = (await client.listRoles(project)).find(
        r => r.metadata?.name === 'kargo-viewer',
      );
      expect(valuesOf(listed)).toEqual(['someone']);
      const revoked = await client.revokeRoleFromClaims(
        project,
        'kargo-viewer',
        claims,
      );
      expect(valuesOf(revoked)).toBeUndefined();
    });
  },
};
