import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import type {
  KargoSimulator,
  RunningKargoSimulator,
} from '@kargo-backstage/kargo-simulator';
import {
  simulatorInstance,
  startTestKargo,
} from '@kargo-backstage/plugin-kargo-backend/testUtils';
import kargoPlugin from '@kargo-backstage/plugin-kargo-backend';
import scaffolderModuleKargo from '@kargo-backstage/plugin-scaffolder-backend-module-kargo';
import {
  KARGO_PORTAL_OWNERS_ANNOTATION,
  type Stage,
} from '@kargo-backstage/plugin-kargo-common';
import fs from 'fs-extra';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { scaffolderModuleLocalPublish } from './localPublishModule';
import { as, silentSignals } from './__testUtils__/portalFixtures';

jest.setTimeout(60_000);

/**
 * The kargo-project software template, run by the real scaffolder with the Kargo actions
 * against the simulator: the Kargo project exists afterwards, the entity is registered with
 * its annotation, and the Kargo view of that entity shows the new pipeline.
 */

const templateFile = path.resolve(
  __dirname,
  '../../../examples/templates/kargo-project/template.yaml',
);

let kargo: RunningKargoSimulator;
let sim: KargoSimulator;
let publishDir: string;

beforeEach(async () => {
  kargo = await startTestKargo();
  sim = kargo.simulator;
  publishDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kargo-template-'));
});
afterEach(async () => {
  await kargo.close();
  await fs.remove(publishDir);
});

/** Allows everything but `denied` (a permission name on a resourceRef). */
function permissionsDenying(denied?: {
  permission: string;
  resourceRef: string;
}) {
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => ({
      authorize: async (requests: AuthorizePermissionRequest[]) =>
        requests.map(r => ({
          result:
            denied &&
            r.permission.name === denied.permission &&
            r.resourceRef === denied.resourceRef
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
      authorizeConditional: async (requests: unknown[]) =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    }),
  });
}

/** Runs the template as `user` with `values` through the real scaffolder, to its end. */
async function runTemplate(options: {
  user: string;
  values: Record<string, unknown>;
  denied?: { permission: string; resourceRef: string };
}) {
  const template: Entity = {
    ...parse(await fs.readFile(templateFile, 'utf8')),
  };
  template.metadata.namespace = 'default';
  template.metadata.annotations = {
    'backstage.io/managed-by-location': `file:${templateFile}`,
    'backstage.io/managed-by-origin-location': `file:${templateFile}`,
  };
  const registered: Entity[] = [];
  // The in-memory catalog has no locations: registering reads the file, as the catalog would,
  // and the entity is there for the next reads.
  const addLocation = async ({ target }: { target: string }) => {
    const entity = parse(await fs.readFile(target, 'utf8')) as Entity;
    entity.metadata.namespace ??= 'default';
    registered.push(entity);
    return {
      location: { id: '1', type: 'file', target },
      entities: [entity],
      exists: false,
    };
  };
  const inMemory = () =>
    catalogServiceMock({ entities: [template, ...registered] }) as any;
  const catalog = new Proxy(
    {},
    {
      get: (_, method: string) => {
        if (method === 'addLocation') return addLocation;
        if (typeof inMemory()[method] !== 'function') return undefined;
        return (...args: unknown[]) => inMemory()[method](...args);
      },
    },
  ) as ReturnType<typeof catalogServiceMock>;
  const { server } = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModuleKargo,
      scaffolderModuleLocalPublish,
      kargoPlugin,
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => catalog,
      }),
      permissionsDenying(options.denied),
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          scaffolder: { localPublish: { directory: publishDir } },
          kargo: {
            instances: [
              {
                ...simulatorInstance(kargo),
                uiUrl: 'https://kargo.example.com',
              },
            ],
          },
        },
      }),
      silentSignals,
      createServiceFactory({
        service: coreServices.auditor,
        deps: {},
        factory: () => ({
          createEvent: async () => ({
            success: async () => {},
            fail: async () => {},
          }),
        }),
      }),
    ],
  });
  const user = as(options.user);
  const created = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .set('authorization', user)
    .send({
      templateRef: 'template:default/kargo-project',
      values: options.values,
    });
  expect(created.status).toBe(201);
  let task: any;
  for (let i = 0; i < 200; i++) {
    task = (
      await request(server)
        .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
        .set('authorization', user)
    ).body;
    if (['completed', 'failed'].includes(task.status)) break;
    await new Promise(r => setTimeout(r, 100));
  }
  const events = (
    await request(server)
      .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
      .set('authorization', user)
  ).body as any[];
  return { server, user, task, events, registered };
}

const values = {
  name: 'payments',
  owner: 'group:default/guests',
  image: 'ghcr.io/example/payments',
  semverConstraint: '^1.0.0',
  gitRepo: 'https://github.com/example/payments-deploy.git',
  prodThroughPullRequest: true,
};

it('creates the Kargo project, the repository layout and the catalog entity', async () => {
  const { server, user, task, events, registered } = await runTemplate({
    user: 'user:default/dana',
    values,
  });
  if (task.status !== 'completed') {
    throw new Error(
      `template ${task.status}: ${events
        .map((e: any) => e.body.message)
        .join('\n')}`,
    );
  }

  // Kargo has the project, with prod going through pull requests.
  // Its portal owners: who ran the template and the owner chosen in it.
  expect(
    sim.store.get<any>('Project', '', 'payments')!.metadata.annotations[
      KARGO_PORTAL_OWNERS_ANNOTATION
    ],
  ).toBe('user:default/dana,group:default/guests');
  const prod = sim.store.get<Stage>('Stage', 'payments', 'prod')!;
  expect(prod.spec.promotionTemplate!.spec!.steps!.map(s => s.uses)).toContain(
    'git-open-pr',
  );
  // The owners promote: their group is bound to Kargo's promoter role.
  expect(
    sim.roles.list('payments').find(r => r.metadata.name === 'kargo-promoter')!
      .claims,
  ).toEqual([{ name: 'groups', values: ['guests'] }]);
  // The repository layout: base plus one overlay per stage, and the entity.
  for (const file of [
    'base/kustomization.yaml',
    'base/deployment.yaml',
    'stages/test/kustomization.yaml',
    'stages/uat/kustomization.yaml',
    'stages/prod/kustomization.yaml',
  ]) {
    expect(await fs.pathExists(path.join(publishDir, 'payments', file))).toBe(
      true,
    );
  }
  expect(registered[0].metadata).toMatchObject({
    name: 'payments',
    annotations: { 'kargo.akuity.io/project': 'payments' },
  });
  const output = events.find((e: any) => e.type === 'completion').body.output;
  expect(output.links).toContainEqual({
    title: 'Open in Kargo',
    url: 'https://kargo.example.com/project/payments',
  });

  // And the Kargo tab of the new entity has its pipeline.
  const view = await request(server)
    .get('/api/kargo/entity-view?entityRef=component:default/payments')
    .set('authorization', user);
  expect(view.status).toBe(200);
  expect(view.body.projects[0].stages.map((s: any) => s.name)).toEqual([
    'test',
    'uat',
    'prod',
  ]);
});

it('does not let a user who may not manage an existing Kargo project take it over', async () => {
  const state = () =>
    (['Project', 'ProjectConfig', 'Warehouse', 'Stage'] as const).flatMap(
      kind =>
        sim.store
          .list<any>(kind, kind === 'Project' ? undefined : 'kargo-demo')
          .filter(o => kind !== 'Project' || o.metadata.name === 'kargo-demo')
          .map(o => [kind, o.metadata.name, o.metadata, o.spec]),
    );
  const before = state();
  expect(before.length).toBeGreaterThan(3);
  const { task, events, registered } = await runTemplate({
    user: 'user:default/dev',
    values: { ...values, name: 'kargo-demo', image: 'ghcr.io/evil/guestbook' },
    denied: {
      permission: 'kargo.project.manage',
      resourceRef: 'sim/kargo-demo',
    },
  });
  expect(task.status).toBe('failed');
  expect(events.map((e: any) => e.body.message).join('\n')).toContain(
    'Not allowed: kargo.project.manage on sim/kargo-demo',
  );
  expect(state()).toEqual(before);
  expect(registered).toEqual([]);
});
