import type { Stage } from '@kargo-backstage/plugin-kargo-common';
import { ROLLOUT_MS } from '../controller/workloads';
import {
  ADMIN,
  freightInTest,
  promoteInDemo,
  simulatorForEachTest,
} from '../__testUtils__/testSimulator';

const env = simulatorForEachTest();

async function get(path: string, token: string | null = ADMIN) {
  const res = await fetch(`${env.kargo.url}/kubernetes${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, body: await res.json() };
}

const demoPods = async (namespace?: string) =>
  (
    await get(
      `${
        namespace ? `/api/v1/namespaces/${namespace}` : '/api/v1'
      }/pods?labelSelector=${encodeURIComponent(
        'app.kubernetes.io/part-of=kargo-demo',
      )}`,
    )
  ).body.items;

const images = (pods: any[], phase = 'Running') =>
  pods
    .filter(p => p.status.phase === phase)
    .map(p => p.spec.containers[0].image);

describe('the Kubernetes read API of the simulator', () => {
  it('refuses requests without a known token, as a Kubernetes Status', async () => {
    const { status, body } = await get('/api/v1/pods', null);
    expect(status).toBe(401);
    expect(body).toMatchObject({
      kind: 'Status',
      code: 401,
      reason: 'Unauthorized',
    });
  });

  it("runs each stage's freight in the namespace of its Argo CD application", async () => {
    const pods = await demoPods();
    const byNamespace = new Map<string, string[]>();
    for (const p of pods) {
      byNamespace.set(p.metadata.namespace, [
        ...(byNamespace.get(p.metadata.namespace) ?? []),
        p.spec.containers[0].image,
      ]);
    }
    for (const stage of ['test', 'uat', 'prod']) {
      const s = env.sim.store.require<Stage>('Stage', 'kargo-demo', stage);
      const freight = Object.values(s.status!.freightHistory![0].items!)[0];
      const expected = `${freight.images![0].repoURL}:${
        freight.images![0].tag
      }`;
      expect(byNamespace.get(`guestbook-${stage}`)).toEqual([
        expected,
        expected,
      ]);
    }
    // Kargo's health output (one entry per health check) names the same applications.
    const uat = env.sim.store.require<Stage>('Stage', 'kargo-demo', 'uat');
    expect(uat.status!.health!.output).toEqual([
      {
        applicationStatuses: [
          expect.objectContaining({
            Namespace: 'argocd',
            Name: 'guestbook-uat',
          }),
        ],
      },
    ]);
    expect(
      (await get('/apis/apps/v1/namespaces/guestbook-uat/deployments')).body
        .items,
    ).toEqual([
      expect.objectContaining({
        kind: 'Deployment',
        metadata: expect.objectContaining({ name: 'guestbook-uat' }),
      }),
    ]);
    expect(await demoPods('elsewhere')).toEqual([]);
    expect(
      (
        await get(
          '/api/v1/pods?labelSelector=app.kubernetes.io%2Fpart-of%3Dshop',
        )
      ).body.items,
    ).toEqual([]);
  });

  it('rolls a promoted freight out to the pods after a while', async () => {
    const before = images(await demoPods('guestbook-uat'));
    const testFreight = freightInTest(env.sim);
    promoteInDemo(env.sim, 'uat', testFreight.metadata!.name);
    env.sim.runUntilIdle();
    const wanted = `${testFreight.images![0].repoURL}:${
      testFreight.images![0].tag
    }`;
    expect(wanted).not.toBe(before[0]);

    const rolling = await demoPods('guestbook-uat');
    expect(images(rolling)).toEqual(before);
    expect(images(rolling, 'Pending')).toEqual([wanted]);

    env.clock.advance(ROLLOUT_MS);
    const after = await demoPods('guestbook-uat');
    expect(images(after)).toEqual([wanted, wanted]);
    expect(images(after, 'Pending')).toEqual([]);
  });

  it('makes pods crash-loop on request, with growing restarts', async () => {
    await fetch(`${env.kargo.url}/simulator/workloads/guestbook-prod`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ crashing: true }),
    });
    env.clock.advance(25_000);
    const [pod] = await demoPods('guestbook-prod');
    expect(pod.status.containerStatuses[0]).toMatchObject({
      ready: false,
      restartCount: 3,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
    });
  });

  it('answers every other list the Kubernetes plugin asks for with an empty one', async () => {
    for (const path of [
      '/api/v1/services',
      '/api/v1/namespaces/guestbook-uat/configmaps',
      '/apis/batch/v1/cronjobs',
      '/apis/networking.k8s.io/v1/namespaces/guestbook-uat/ingresses',
    ]) {
      const { status, body } = await get(path);
      expect(status).toBe(200);
      expect(body.items).toEqual([]);
    }
  });
});
