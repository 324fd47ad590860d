import { createServiceFactory } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { mockCredentials } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { Server } from 'node:http';
import request from 'supertest';
import { denying, kargoForEachTest, newestFreight } from '../testUtils';

const env = kargoForEachTest();
let server: Server;

/** user:default/stranger may read but not promote. */
const permissions = denying('kargo.freight.promote', 'user:default/stranger');

async function registry() {
  const actions = actionsRegistryServiceMock();
  server = await env.backend({
    permissions,
    features: [
      createServiceFactory({
        service: actionsRegistryServiceRef,
        deps: {},
        factory: () => actions,
      }),
    ],
  });
  return actions;
}

const newest = () => newestFreight(env.sim);

describe('Kargo actions', () => {
  it('are listed with their schemas', async () => {
    const { actions } = await (await registry()).list();
    expect(actions.map(a => [a.name, a.attributes.readOnly])).toEqual([
      ['get-entity-pipeline', true],
      ['get-freight-metadata', true],
      ['promote', false],
    ]);
    expect(actions[2].schema.input).toMatchObject({
      required: ['instance', 'project', 'stage', 'freight'],
    });
  });

  it('tell what version runs where for an entity', async () => {
    const actions = await registry();
    const { output } = await actions.invoke({
      id: 'test:get-entity-pipeline',
      input: { entityRef: 'component:default/guestbook' },
      credentials: mockCredentials.user('user:default/dana'),
    });
    expect((output as any).projects[0]).toMatchObject({
      project: 'kargo-demo',
      stages: [
        { name: 'test', freight: ['1.29.1'], frozen: false },
        { name: 'uat', freight: ['1.29.0'] },
        { name: 'prod', freight: ['1.28.4'] },
      ],
    });
  });

  it('promote with the permission check of the route: denied, then allowed', async () => {
    const actions = await registry();
    const input = {
      instance: 'sim',
      project: 'kargo-demo',
      stage: 'uat',
      freight: newest().alias!,
    };
    const before = env.sim.store.list('Promotion', 'kargo-demo').length;
    await expect(
      actions.invoke({
        id: 'test:promote',
        input,
        credentials: mockCredentials.user('user:default/stranger'),
      }),
    ).rejects.toThrow(
      'Not allowed: kargo.freight.promote on sim/kargo-demo/uat',
    );
    expect(env.sim.store.list('Promotion', 'kargo-demo').length).toBe(before);
    const { output } = await actions.invoke({
      id: 'test:promote',
      input,
      credentials: mockCredentials.user('user:default/dana'),
    });
    expect((output as any).promotion).toMatch(/^uat\./);
    expect(env.sim.store.list('Promotion', 'kargo-demo').length).toBe(
      before + 1,
    );
  });

  it('read the portal metadata of freight', async () => {
    const actions = await registry();
    await request(server)
      .put(
        `/api/kargo/instances/sim/projects/kargo-demo/freight/${newest()
          .metadata!.name!}/metadata`,
      )
      .send({ version: 0, verdict: { value: 'recommended' } })
      .expect(200);
    const { output } = await actions.invoke({
      id: 'test:get-freight-metadata',
      input: {
        instance: 'sim',
        project: 'kargo-demo',
        freight: [newest().metadata!.name!],
      },
      credentials: mockCredentials.user('user:default/dana'),
    });
    expect((output as any).items).toEqual([
      expect.objectContaining({
        freight: newest().metadata!.name,
        version: 1,
        verdict: { value: 'recommended' },
      }),
    ]);
  });
});
