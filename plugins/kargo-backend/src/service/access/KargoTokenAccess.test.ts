import { mockServices } from '@backstage/backend-test-utils';
import type { RunningKargoSimulator } from '@kargo-backstage/kargo-simulator';
import type {
  KargoProjectView,
  KargoTokenAction,
} from '@kargo-backstage/plugin-kargo-common';
import { KargoClient } from '@kargo-backstage/plugin-kargo-node';
import request from 'supertest';
import { startKargoBackend, startTestKargo } from '../../testUtils';
import { KargoTokenAccess, serviceAccountOf } from './KargoTokenAccess';

const ADMIN = 'kargo-simulator-admin-token';
let kargo: RunningKargoSimulator;

beforeAll(async () => {
  kargo = await startTestKargo({ projects: ['kargo-demo', 'microservices'] });
});
afterAll(() => kargo.close());

/** A Kargo API token of `role`, made through Kargo's own route. */
async function apiToken(path: string, name: string): Promise<string> {
  const res = await fetch(`${kargo.url}/v1beta1${path}/api-tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}` },
    body: JSON.stringify({ name }),
  });
  expect(res.status).toBe(201);
  const secret = await res.json();
  return Buffer.from(secret.data.token, 'base64').toString();
}

const client = (token: string, forwardUserToken = false) =>
  new KargoClient(
    { name: 'sim', url: kargo.url, token, timeoutMs: 5000, forwardUserToken },
    { logger: mockServices.rootLogger({ level: 'none' }) },
  );

const ADMIN_ONLY: KargoTokenAction[] = [
  'abortPromotion',
  'reverify',
  'updateFreightAlias',
  'createFreight',
  'updateWarehouse',
  'updatePromotionPolicies',
  'holdAutoPromotion',
  'grantRoles',
  'readCredentials',
  'manageCredentials',
];

describe('KargoTokenAccess', () => {
  it("reads a kargo-promoter token's role from Kargo: it may promote and approve, nothing else", async () => {
    const token = await apiToken(
      '/projects/kargo-demo/roles/kargo-promoter',
      'p',
    );
    expect(serviceAccountOf(token)).toEqual({
      namespace: 'kargo-demo',
      name: 'kargo-promoter',
    });
    const access = await new KargoTokenAccess().forProject(
      client(token),
      'kargo-demo',
    );
    expect(access.role).toBe('kargo-promoter');
    expect(Object.keys(access.denied).sort()).toEqual([...ADMIN_ONLY].sort());
    expect(access.denied.abortPromotion).toBe(
      "Kargo would refuse the portal's token (role kargo-promoter): it may not patch promotions; this needs kargo-admin",
    );
  });

  it('finds a kargo-viewer token refused promote and approve, and kargo-admin nothing', async () => {
    const viewer = await apiToken(
      '/projects/kargo-demo/roles/kargo-viewer',
      'v',
    );
    const denied = (
      await new KargoTokenAccess().forProject(client(viewer), 'kargo-demo')
    ).denied;
    expect(denied.promote).toMatch(
      /may not promote stages; this needs kargo-promoter or kargo-admin/,
    );
    expect(denied.approve).toBeDefined();
    const admin = await apiToken('/projects/kargo-demo/roles/kargo-admin', 'a');
    expect(
      await new KargoTokenAccess().forProject(client(admin), 'kargo-demo'),
    ).toEqual({ role: 'kargo-admin', denied: {} });
  });

  it("knows system-level roles by the chart's ClusterRoles, and a project's token elsewhere has nothing", async () => {
    const viewer = await apiToken('/system/roles/kargo-viewer', 'sys-viewer');
    const access = await new KargoTokenAccess().forProject(
      client(viewer),
      'microservices',
    );
    expect(access.role).toBe('system kargo-viewer');
    expect(access.denied.promote).toBeDefined();
    const admin = await apiToken('/system/roles/kargo-admin', 'sys-admin');
    expect(
      (await new KargoTokenAccess().forProject(client(admin), 'microservices'))
        .denied,
    ).toEqual({});
    const demo = await apiToken(
      '/projects/kargo-demo/roles/kargo-admin',
      'demo',
    );
    const elsewhere = await new KargoTokenAccess().forProject(
      client(demo),
      'microservices',
    );
    expect(elsewhere.role).toBe('kargo-admin of project kargo-demo');
    expect(elsewhere.denied.promote).toBeDefined();
  });

  it("leaves everything to Kargo for tokens it cannot read, and to the user's token where forwarded", async () => {
    expect(
      await new KargoTokenAccess().forProject(client(ADMIN), 'kargo-demo'),
    ).toEqual({ denied: {} });
    const viewer = await apiToken(
      '/projects/kargo-demo/roles/kargo-viewer',
      'fw',
    );
    const forwarded = await new KargoTokenAccess().forProject(
      client(viewer, true),
      'kargo-demo',
    );
    // The freezer still writes with the portal's token.
    expect(Object.keys(forwarded.denied)).toEqual(['holdAutoPromotion']);
  });
});

describe('the portal', () => {
  it('shows what its Kargo token may not do with the entity view and the settings', async () => {
    const token = await apiToken(
      '/projects/kargo-demo/roles/kargo-promoter',
      'portal',
    );
    const server = await startKargoBackend({ kargo, instance: { token } });
    const view = await request(server).get(
      '/api/kargo/entity-view?entityRef=component:default/guestbook',
    );
    expect(view.status).toBe(200);
    const project = view.body.projects[0] as KargoProjectView;
    expect(project.kargoAccess?.role).toBe('kargo-promoter');
    expect(project.kargoAccess?.denied.abortPromotion).toContain(
      'may not patch promotions',
    );
    expect(project.kargoAccess?.denied.promote).toBeUndefined();
    const settings = await request(server).get(
      '/api/kargo/instances/sim/projects/kargo-demo/settings',
    );
    expect(settings.status).toBe(200);
    expect(settings.body.kargoAccess.denied.grantRoles).toContain(
      'may not update serviceaccounts',
    );
  });
});
