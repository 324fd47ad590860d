import { PermissionsService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type {
  KargoSimulator,
  RunningKargoSimulator,
  SimulatorToken,
} from '@kargo-backstage/kargo-simulator';
import {
  simulatorInstance,
  startTestKargo,
} from '@kargo-backstage/plugin-kargo-backend/testUtils';
import { KargoInstances } from '@kargo-backstage/plugin-kargo-node';
import { createKargoProjectInitAction } from '../actions/projectInit';
import { actionContext, allowing, denying } from './actionContext';

/** dana's own Kargo token, for instances that forward the user's token. */
export const DANA_KARGO_TOKEN = 'dana-own-kargo-token';

/** The configured instances: the simulator as `sim` (or `name`), with Kargo's UI URL. */
export function instancesFor(
  kargo: RunningKargoSimulator,
  extra: Record<string, unknown> = {},
) {
  return KargoInstances.fromConfig(
    new ConfigReader({
      kargo: {
        instances: [
          {
            ...simulatorInstance(kargo),
            uiUrl: 'https://kargo.example.com',
            ...extra,
          },
        ],
      },
    }),
    mockServices.logger.mock(),
  );
}

/** The checkout project the tests create with kargo:project:init. */
export const checkoutSpec = {
  instance: 'sim',
  project: 'checkout',
  gitRepo: 'https://github.com/example/checkout-deploy.git',
  warehouses: [
    {
      name: 'checkout',
      image: {
        repoURL: 'ghcr.io/example/checkout',
        semverConstraint: '^1.0.0',
      },
    },
  ],
  stages: [
    { name: 'test' },
    { name: 'uat', from: ['test'], verification: 'smoke-test' },
    {
      name: 'prod',
      from: ['uat'],
      pullRequest: true,
      argocdApp: 'checkout-${stage}',
    },
  ],
};

export interface AuditedEvent {
  eventId: string;
  status: string;
  meta?: any;
}

/** What a test of the Kargo actions has: the simulator and the actions' options. */
export interface KargoActionTest {
  kargo: RunningKargoSimulator;
  sim: KargoSimulator;
  /** The actions' options; a test may replace instances or permissions before it builds one. */
  instances: KargoInstances;
  permissions: PermissionsService;
  auditor: { createEvent(options: any): Promise<any> };
  /** What the auditor recorded. */
  events: AuditedEvent[];
  /** The Kargo API requests that change something. */
  mutations(): string[];
  /** Everything Kargo has in a project, to compare before and after. */
  projectState(project: string): unknown;
  /** Configures the simulator's instance again, with `extra`, for the actions built after. */
  configureInstance(extra: Record<string, unknown>): void;
  /** Denies the listed permissions (see denying) to the actions built after; returns the fake. */
  deny(...denials: Parameters<typeof denying>): ReturnType<typeof denying>;
  /** Creates the checkout project (checkoutSpec) with kargo:project:init, as dana. */
  initCheckout(): Promise<void>;
}

/**
 * A fresh simulator for each test, in which dana has her own admin token and kargo-demo is
 * someone else's project, with permissions that allow everything and a recording auditor.
 */
export function kargoActionTest(
  options: { danaToken?: Partial<SimulatorToken> } = {},
): KargoActionTest {
  const events: AuditedEvent[] = [];
  const t: KargoActionTest = {
    events,
    auditor: {
      async createEvent(event: any) {
        const record = (status: string, meta?: unknown) =>
          events.push({ eventId: event.eventId, status, meta });
        record('initiated', event.meta);
        return {
          success: async () => void record('succeeded'),
          fail: async () => void record('failed'),
        };
      },
    },
    mutations: () => t.kargo.requestLog.filter(r => !r.startsWith('GET ')),
    projectState: project => ({
      project: t.sim.store.get('Project', '', project),
      resources: (
        [
          'ProjectConfig',
          'Warehouse',
          'Stage',
          'AnalysisTemplate',
          'PromotionTask',
          'Freight',
        ] as const
      ).flatMap(kind =>
        t.sim.store
          .list<any>(kind, project)
          .map(o => [
            kind,
            o.metadata.name,
            o.metadata.resourceVersion,
            o.spec,
          ]),
      ),
      roles: t.sim.roles.list(project),
    }),
    configureInstance: extra => {
      t.instances = instancesFor(t.kargo, extra);
    },
    deny: (...denials) => {
      const permissions = denying(...denials);
      t.permissions = permissions;
      return permissions;
    },
    initCheckout: async () => {
      await createKargoProjectInitAction(t).handler(context(checkoutSpec).ctx);
    },
  } as KargoActionTest;
  beforeEach(async () => {
    t.kargo = await startTestKargo({
      projects: ['kargo-demo'],
      tokens: [
        { token: 'kargo-simulator-admin-token', role: 'admin', actor: 'admin' },
        {
          token: DANA_KARGO_TOKEN,
          role: 'admin',
          actor: 'email:dana@example.com',
          ...options.danaToken,
        },
      ],
    });
    t.sim = t.kargo.simulator;
    t.instances = instancesFor(t.kargo);
    t.permissions = allowing();
    events.length = 0;
  });
  afterEach(() => t.kargo.close());
  return t;
}

/** The context of a run by dana, or of her dry run. */
export function context(input: Record<string, unknown>, isDryRun = false) {
  return actionContext(input, { isDryRun });
}

/**
 * A Stage `name` in `namespace` that takes freight directly from the image-writeback
 * warehouse kargo:freight:create writes to, as YAML for sim.applyManifests.
 */
export const writebackStage = (namespace: string, name: string) => `
apiVersion: kargo.akuity.io/v1alpha1
kind: Stage
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  requestedFreight:
    - origin: { kind: Warehouse, name: image-writeback }
      sources: { direct: true }
  promotionTemplate:
    spec:
      steps: [{ uses: git-clone, config: {} }]
`;
