import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Freight, Promotion } from '@kargo-backstage/plugin-kargo-common';
import kargoApi from '@kargo-backstage/plugin-kargo-common/src/generated/kargo-api-schemas.json';
import { ManualClock } from '../clock';
import { KargoSimulator } from '../KargoSimulator';
import {
  RunningKargoSimulator,
  startKargoSimulator,
} from '../startKargoSimulator';

/**
 * Every endpoint the simulator serves answers with a body that Kargo's own OpenAPI document
 * (v1.11.2, via the generated kargo-api-schemas.json) accepts, validated by Ajv.
 */
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(
  { $id: 'kargo.json', components: kargoApi.components },
  'kargo.json',
);

type OperationId = keyof typeof kargoApi.operations;

function validatorFor(
  operationId: OperationId,
  status: string,
): ValidateFunction {
  const operation = kargoApi.operations[operationId] as {
    responses: Record<string, unknown>;
  };
  const schema = operation.responses[status];
  if (!schema)
    throw new Error(`${operationId} documents no JSON body for ${status}`);
  const rebased = JSON.parse(
    JSON.stringify(schema).replace(
      /"#\/components\//g,
      '"kargo.json#/components/',
    ),
  );
  return ajv.compile(rebased);
}

let kargo: RunningKargoSimulator;
let sim: KargoSimulator;
beforeAll(async () => {
  sim = new KargoSimulator({
    clock: new ManualClock(),
    projects: ['kargo-demo', 'microservices'],
  });
  kargo = await startKargoSimulator({ simulator: sim });
});
afterAll(() => kargo.close());

async function call(
  method: string,
  path: string,
  body?: string,
  contentType = 'application/json',
) {
  const res = await fetch(`${kargo.url}${path}`, {
    method,
    headers: {
      authorization: 'Bearer kargo-simulator-admin-token',
      ...(body ? { 'content-type': contentType } : {}),
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, text };
}

async function expectConforms(
  operationId: OperationId,
  method: string,
  path: string,
  body?: string,
  contentType?: string,
) {
  const res = await call(method, path, body, contentType);
  const operation = kargoApi.operations[operationId] as {
    responses: Record<string, unknown>;
  };
  const documented = Object.keys(operation.responses);
  expect({ operationId, status: res.status }).toEqual({
    operationId,
    status: expect.any(Number),
  });
  if (!documented.length) {
    // Documented without a JSON body (e.g. refresh, approve): 200 and nothing to parse.
    expect(res.status).toBe(200);
    return;
  }
  expect(documented).toContain(String(res.status));
  const validate = validatorFor(operationId, String(res.status));
  const valid = validate(JSON.parse(res.text));
  expect({ operationId, errors: validate.errors ?? null }).toEqual({
    operationId,
    errors: null,
  });
  expect(valid).toBe(true);
}

describe("simulator responses match Kargo's OpenAPI schemas", () => {
  const inTest = () =>
    sim.store
      .list<Freight>('Freight', 'kargo-demo')
      .find(f => f.status?.currentlyIn?.test)!;

  it('system and projects', async () => {
    await expectConforms(
      'GetVersionInfo',
      'GET',
      '/v1beta1/system/server-version',
    );
    await expectConforms('ListProjects', 'GET', '/v1beta1/projects');
    await expectConforms('GetProject', 'GET', '/v1beta1/projects/kargo-demo');
    await expectConforms(
      'GetProjectConfig',
      'GET',
      '/v1beta1/projects/kargo-demo/config',
    );
    await expectConforms(
      'ListProjectEvents',
      'GET',
      '/v1beta1/projects/kargo-demo/events',
    );
  });

  it('stages and warehouses', async () => {
    await expectConforms(
      'ListStages',
      'GET',
      '/v1beta1/projects/microservices/stages?freightOrigins=cart',
    );
    await expectConforms(
      'GetStage',
      'GET',
      '/v1beta1/projects/kargo-demo/stages/uat',
    );
    await expectConforms(
      'RefreshStage',
      'POST',
      '/v1beta1/projects/kargo-demo/stages/uat/refresh',
    );
    await expectConforms(
      'Reverify',
      'POST',
      '/v1beta1/projects/kargo-demo/stages/uat/verification',
    );
    sim.tick();
    await expectConforms(
      'AbortVerification',
      'POST',
      '/v1beta1/projects/kargo-demo/stages/uat/verification/abort',
    );
    await expectConforms(
      'ListWarehouses',
      'GET',
      '/v1beta1/projects/kargo-demo/warehouses',
    );
    await expectConforms(
      'GetWarehouse',
      'GET',
      '/v1beta1/projects/kargo-demo/warehouses/guestbook',
    );
    await expectConforms(
      'RefreshWarehouse',
      'POST',
      '/v1beta1/projects/kargo-demo/warehouses/guestbook/refresh',
    );
  });

  it('freight', async () => {
    await expectConforms(
      'QueryFreightsRest',
      'GET',
      '/v1beta1/projects/kargo-demo/freight?groupBy=image_repo',
    );
    await expectConforms(
      'QueryFreightsRest',
      'GET',
      '/v1beta1/projects/kargo-demo/freight?stage=uat',
    );
    await expectConforms(
      'GetFreight',
      'GET',
      `/v1beta1/projects/kargo-demo/freight/${inTest().alias}`,
    );
    await expectConforms(
      'ApproveFreight',
      'POST',
      `/v1beta1/projects/kargo-demo/freight/${
        inTest().alias
      }/approve?stage=prod`,
    );
    await expectConforms(
      'PatchFreightAlias',
      'PATCH',
      `/v1beta1/projects/kargo-demo/freight/${
        inTest().metadata!.name
      }/alias?newAlias=contract-alias`,
    );
  });

  it('promotions', async () => {
    await expectConforms(
      'PromoteToStage',
      'POST',
      '/v1beta1/projects/kargo-demo/stages/uat/promotions',
      JSON.stringify({ freight: inTest().metadata!.name }),
    );
    const promotion = sim.store
      .list<Promotion>('Promotion', 'kargo-demo')
      .find(p => !p.status?.phase)!;
    sim.tick();
    await expectConforms(
      'ListPromotions',
      'GET',
      '/v1beta1/projects/kargo-demo/promotions?stage=uat',
    );
    await expectConforms(
      'GetPromotion',
      'GET',
      `/v1beta1/projects/kargo-demo/promotions/${promotion.metadata!.name}`,
    );
    await expectConforms(
      'AbortPromotion',
      'POST',
      `/v1beta1/projects/kargo-demo/promotions/${
        promotion.metadata!.name
      }/abort`,
    );
    sim.runUntilIdle();
    await expectConforms(
      'PromoteDownstream',
      'POST',
      '/v1beta1/projects/kargo-demo/stages/test/promotions/downstream',
      JSON.stringify({ freight: inTest().metadata!.name }),
    );
  });

  it('resources', async () => {
    const manifest =
      'apiVersion: kargo.akuity.io/v1alpha1\nkind: Warehouse\nmetadata: { name: contract, namespace: kargo-demo }\nspec:\n  subscriptions:\n    - image: { repoURL: ghcr.io/example/contract }\n';
    await expectConforms(
      'CreateResource',
      'POST',
      '/v1beta1/resources',
      manifest,
      'application/yaml',
    );
    await expectConforms(
      'UpdateResource',
      'PUT',
      '/v1beta1/resources',
      manifest,
      'application/yaml',
    );
    await expectConforms(
      'DeleteResource',
      'DELETE',
      '/v1beta1/resources',
      manifest,
      'application/yaml',
    );
  });
});
