import type { Entity } from '@backstage/catalog-model';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import {
  KubernetesAuthProviders,
  kubernetesApiRef,
  kubernetesAuthProvidersApiRef,
  KubernetesBackendClient,
} from '@backstage/plugin-kubernetes-react';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { freight, stage } from '../__testUtils__/testViews';
import type { KargoProjectView } from '@kargo-backstage/plugin-kargo-common';
import { StageWorkloads } from './StageWorkloads';

const server = setupServer();
registerMswTestHooks(server);

const BACKEND = 'http://localhost:7007/api/kubernetes';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'guestbook',
    annotations: {
      'backstage.io/kubernetes-label-selector':
        'app.kubernetes.io/part-of=kargo-demo',
    },
  },
  spec: { type: 'service', owner: 'guests' },
};

const running = freight('keen-aardvark', 'guestbook', '1.29.1');
const view = (s = uat()): KargoProjectView => ({
  instance: 'sim',
  project: 'kargo-demo',
  warehouses: [],
  stages: [s],
  freight: [running],
  freightTotal: { guestbook: 1 },
  promotions: [],
  fetchedAt: '2026-11-25T10:00:00Z',
});
function uat(extra = {}) {
  return stage('uat', [['guestbook', { direct: true }]], {
    currentFreight: { 'Warehouse/guestbook': running.name },
    argocdApps: [{ name: 'guestbook-uat', namespace: 'argocd' }],
    ...extra,
  });
}

function pod(
  name: string,
  tag: string,
  options: { app?: string; namespace?: string; crashing?: boolean } = {},
) {
  const app = options.app ?? 'guestbook-uat';
  return {
    metadata: {
      name,
      uid: name,
      namespace: options.namespace ?? app,
      labels: { 'app.kubernetes.io/instance': app, tier: 'web' },
    },
    spec: {
      containers: [
        { name: 'guestbook', image: `ghcr.io/example/guestbook:${tag}` },
      ],
    },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'guestbook',
          image: `ghcr.io/example/guestbook:${tag}`,
          ready: !options.crashing,
          restartCount: options.crashing ? 7 : 0,
          state: options.crashing
            ? { waiting: { reason: 'CrashLoopBackOff' } }
            : { running: {} },
        },
      ],
    },
  };
}

/** Backstage's Kubernetes backend answers with these pods (through msw). */
function kubernetesAnswers(pods: unknown[]) {
  const asked: string[] = [];
  server.use(
    http.get(`${BACKEND}/clusters`, () =>
      HttpResponse.json({
        items: [{ name: 'demo', authProvider: 'serviceAccount' }],
      }),
    ),
    http.post(`${BACKEND}/services/:name`, ({ params }) => {
      asked.push(String(params.name));
      return HttpResponse.json({
        items: [
          {
            cluster: { name: 'demo' },
            resources: [{ type: 'pods', resources: pods }],
            podMetrics: [],
            errors: [],
          },
        ],
      });
    }),
  );
  return asked;
}

function renderWorkloads(
  props: Partial<Parameters<typeof StageWorkloads>[0]> = {},
  withKubernetes = true,
) {
  const discoveryApi = mockApis.discovery({ baseUrl: 'http://localhost:7007' });
  const fetchApi = { fetch: (input: any, init?: any) => fetch(input, init) };
  const authProviders = new KubernetesAuthProviders({
    microsoftAuthApi: {} as any,
    googleAuthApi: {} as any,
  });
  const apis: any[] = [
    [discoveryApiRef, discoveryApi],
    [fetchApiRef, fetchApi],
    [kubernetesAuthProvidersApiRef, authProviders],
  ];
  if (withKubernetes) {
    apis.push([
      kubernetesApiRef,
      new KubernetesBackendClient({
        discoveryApi,
        fetchApi,
        kubernetesAuthProvidersApi: authProviders,
      }),
    ]);
  }
  return renderInTestApp(
    <TestApiProvider apis={apis}>
      <StageWorkloads entity={entity} view={view()} stage={uat()} {...props} />
    </TestApiProvider>,
  );
}

describe('StageWorkloads', () => {
  it('shows the pods of a healthy stage that run its freight', async () => {
    const asked = kubernetesAnswers([
      pod('guestbook-uat-a', '1.29.1'),
      pod('guestbook-uat-b', '1.29.1'),
      pod('guestbook-test-a', '1.29.2', { app: 'guestbook-test' }),
    ]);
    await renderWorkloads();
    expect(
      await screen.findByText("The pods run the stage's freight."),
    ).toBeInTheDocument();
    expect(screen.getByText('guestbook-uat-a')).toBeInTheDocument();
    expect(screen.getByText('guestbook-uat-b')).toBeInTheDocument();
    expect(screen.queryByText('guestbook-test-a')).not.toBeInTheDocument();
    expect(asked).toContain('guestbook');
  });

  it('says plainly when the pods run another version than the stage', async () => {
    kubernetesAnswers([
      pod('guestbook-uat-a', '1.29.0'),
      pod('guestbook-uat-b', '1.29.1'),
    ]);
    await renderWorkloads();
    expect(
      await screen.findByText(
        'Stage says 1.29.1, pods run 1.29.0 (ghcr.io/example/guestbook)',
      ),
    ).toBeInTheDocument();
  });

  it('shows a failing stage: crash-looping pods with their restarts', async () => {
    kubernetesAnswers([pod('guestbook-uat-a', '1.29.1', { crashing: true })]);
    await renderWorkloads();
    expect(await screen.findByText('guestbook-uat-a')).toBeInTheDocument();
    expect(screen.getByText(/CrashLoopBackOff/)).toBeInTheDocument();
    expect(screen.getByText('7')).toBeInTheDocument();
  });

  it('follows the annotation where Kargo reports no Argo CD application', async () => {
    kubernetesAnswers([
      pod('web-a', '1.29.1', { app: 'x', namespace: 'guestbook-uat' }),
      pod('worker-a', '1.29.1', { app: 'x', namespace: 'elsewhere' }),
    ]);
    await renderWorkloads({
      entity: {
        ...entity,
        metadata: {
          ...entity.metadata,
          annotations: {
            ...entity.metadata.annotations,
            'kargo.akuity.io/stage-workloads':
              'test=guestbook-test; uat=guestbook-uat/tier=web',
          },
        },
      },
      stage: uat({ argocdApps: [] }),
    });
    expect(await screen.findByText('web-a')).toBeInTheDocument();
    expect(screen.queryByText('worker-a')).not.toBeInTheDocument();
  });

  it('shows Kubernetes errors in place', async () => {
    server.use(
      http.get(`${BACKEND}/clusters`, () =>
        HttpResponse.json({
          items: [{ name: 'demo', authProvider: 'serviceAccount' }],
        }),
      ),
      http.post(`${BACKEND}/services/:name`, () =>
        HttpResponse.json(
          { error: { message: 'cluster down' } },
          { status: 503 },
        ),
      ),
    );
    await renderWorkloads();
    expect(
      await screen.findByText(/Kubernetes did not answer for guestbook/),
    ).toBeInTheDocument();
  });

  it('is absent without the Kubernetes plugin', async () => {
    const { container } = await renderWorkloads({}, false);
    expect(container).toBeEmptyDOMElement();
  });
});
