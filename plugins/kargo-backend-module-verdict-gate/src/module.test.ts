import type { RunningKargoSimulator } from '@kargo-backstage/kargo-simulator';
import {
  newestFreight,
  startKargoBackend,
  startTestKargo,
} from '@kargo-backstage/plugin-kargo-backend/testUtils';
import request from 'supertest';
import { kargoModuleVerdictGate } from './module';

let kargo: RunningKargoSimulator;

beforeEach(async () => {
  kargo = await startTestKargo();
});
afterEach(() => kargo.close());

function backend(mode?: string) {
  return startKargoBackend({
    kargo,
    features: [kargoModuleVerdictGate],
    entities: [],
    kargoConfig: mode ? { gates: { verdict: { mode } } } : undefined,
  });
}

const api = (path: string) => `/api/kargo/instances/sim/projects/${path}`;
const newest = () => newestFreight(kargo.simulator).metadata!.name!;
const promotions = () => kargo.simulator.store.list('Promotion', 'kargo-demo');

async function markDoNotPromote(server: any) {
  const res = await request(server)
    .put(api(`kargo-demo/freight/${newest()}/metadata`))
    .send({
      version: 0,
      verdict: { value: 'do-not-promote', reason: 'Breaks checkout' },
    });
  expect(res.status).toBe(200);
}

describe('the verdict gate module', () => {
  it('lets unmarked freight through', async () => {
    const server = await backend();
    const res = await request(server)
      .post(api('kargo-demo/stages/uat/promotions'))
      .send({ freight: newest() });
    expect(res.status).toBe(201);
  });

  it('asks for a confirmation of "do not promote" freight, then promotes', async () => {
    const server = await backend();
    await markDoNotPromote(server);
    const before = promotions().length;
    const unconfirmed = await request(server)
      .post(api('kargo-demo/stages/uat/promotions'))
      .send({ freight: newest() });
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body.error.message).toBe(
      `Needs confirmation: Freight "keen-aardvark" is marked "do not promote" by user:default/mock: Breaks checkout (send "confirm": ["do-not-promote-verdict"]) [gate do-not-promote-verdict]`,
    );
    expect(promotions().length).toBe(before);
    const gates = await request(server).get(
      api(`kargo-demo/stages/uat/gates?freight=${newest()}`),
    );
    expect(gates.body.items).toContainEqual(
      expect.objectContaining({
        gate: 'do-not-promote-verdict',
        result: 'confirm',
      }),
    );
    const confirmed = await request(server)
      .post(api('kargo-demo/stages/uat/promotions'))
      .send({ freight: newest(), confirm: ['do-not-promote-verdict'] });
    expect(confirmed.status).toBe(201);
  });

  it('refuses it outright in deny mode, confirmation or not', async () => {
    const server = await backend('deny');
    await markDoNotPromote(server);
    const res = await request(server)
      .post(api('kargo-demo/stages/uat/promotions'))
      .send({ freight: newest(), confirm: ['do-not-promote-verdict'] });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/marked "do not promote"/);
  });

  it('fails fast on a wrong mode', async () => {
    await expect(backend('maybe')).rejects.toThrow(
      'kargo.gates.verdict.mode must be "confirm" or "deny", got "maybe"',
    );
  });
});
