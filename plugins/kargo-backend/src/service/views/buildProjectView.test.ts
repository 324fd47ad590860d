import type { Stage } from '@kargo-backstage/plugin-kargo-common';
import { buildProjectView } from './buildProjectView';

function stageWithHealth(name: string, output: unknown): Stage {
  return {
    metadata: { name, namespace: 'shop' },
    spec: {
      requestedFreight: [
        {
          origin: { kind: 'Warehouse', name: 'wh' },
          sources: { direct: true },
        },
      ],
    },
    status: { health: { status: 'Healthy', output: output as never } },
  } as Stage;
}

const argocdAppsOf = (output: unknown) =>
  buildProjectView(
    {
      resourceVersions: {},
      stages: [stageWithHealth('test', output)],
      warehouses: [],
      freight: [],
      promotions: [],
      fetchedAt: '2026-01-01T00:00:00Z',
    },
    { instance: 'i', project: 'shop', freightLimit: 10, promotionLimit: 10 },
  ).stages[0].argocdApps;

describe('Argo CD applications in the stage view', () => {
  it("reads Kargo's health output: an array with one entry per health check", () => {
    // Two argocd-update steps: two checks. Kargo capitalizes Namespace and Name.
    expect(
      argocdAppsOf([
        {
          applicationStatuses: [
            {
              Namespace: 'argocd',
              Name: 'shop-test',
              health: { status: 'Healthy' },
              sync: { status: 'Synced', revision: 'abc' },
            },
          ],
        },
        {
          applicationStatuses: [
            {
              Namespace: 'apps',
              Name: 'shop-db-test',
              health: { status: 'Degraded' },
              sync: { status: 'OutOfSync' },
            },
          ],
        },
      ]),
    ).toEqual([
      {
        name: 'shop-test',
        namespace: 'argocd',
        health: 'Healthy',
        sync: 'Synced',
      },
      {
        name: 'shop-db-test',
        namespace: 'apps',
        health: 'Degraded',
        sync: 'OutOfSync',
      },
    ]);
  });

  it('reads a single object as well, and nothing from no output', () => {
    expect(
      argocdAppsOf({
        applicationStatuses: [
          { name: 'shop-test', health: { status: 'Healthy' } },
        ],
      }),
    ).toEqual([{ name: 'shop-test', health: 'Healthy' }]);
    expect(argocdAppsOf(undefined)).toBeUndefined();
    expect(argocdAppsOf([])).toBeUndefined();
    expect(argocdAppsOf([{ other: 1 }])).toBeUndefined();
  });
});
