import { resolvePackagePath } from '@backstage/backend-plugin-api';
import Ajv, { ValidateFunction } from 'ajv';
import fs from 'node:fs';
import addFormats from 'ajv-formats';
import type { Freight, Promotion } from '@kargo-backstage/plugin-kargo-common';
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
const kargoApi: {
  operations: Record<string, { responses: Record<string, unknown> }>;
  components: unknown;
} = JSON.parse(
  fs.readFileSync(
    resolvePackagePath(
      '@kargo-backstage/plugin-kargo-common',
      'src/generated/kargo-api-schemas.json',
    ),
    'utf8',
  ),
);

// One known flaw of the generated document: Go's map[string]any (an unstructured manifest in
// the /resources results) is rendered as `additionalProperties: {type: object}`, which no real
// Kargo answer satisfies (apiVersion and kind are strings). Those maps accept any value here.
for (const result of [
  'CreateResourceResult',
  'CreateOrUpdateResourceResult',
  'DeleteResourceResult',
]) {
  const schema = (kargoApi.components as any).schemas[result];
  for (const property of Object.values<any>(schema.properties)) {
    if (property.additionalProperties?.type === 'object')
      property.additionalProperties = true;
  }
}

// A second: Health.output is typed as an object (Go's apiextensionsv1.JSON), but Kargo writes a
// JSON array there, one entry per health check (pkg/health/aggregating_checker.go; the real
// target has no health checks to show it). Here it must be an array.
(kargoApi.components as any).schemas.Health.properties.output = {
  type: 'array',
  items: { type: 'object' },
};

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(
  { $id: 'kargo.json', components: kargoApi.components },
  'kargo.json',
);

type OperationId = string;

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

/** Calls an endpoint and checks its answer against the operation's documented responses. */
async function conformance(
  operationId: OperationId,
  method: string,
  path: string,
  body?: string,
  contentType?: string,
) {
  const res = await call(method, path, body, contentType);
  const documented = Object.keys(kargoApi.operations[operationId].responses);
  if (!documented.length) {
    // Documented without a JSON body (refresh, approve, abort...): 200 and no body.
    return {
      operationId,
      status: res.status,
      errors: res.text ? `unexpected body ${res.text}` : null,
    };
  }
  if (!documented.includes(String(res.status))) {
    return {
      operationId,
      status: res.status,
      errors: `undocumented status; body ${res.text}`,
    };
  }
  const validate = validatorFor(operationId, String(res.status));
  validate(JSON.parse(res.text));
  return { operationId, status: res.status, errors: validate.errors ?? null };
}

const ok = (operationId: OperationId, status = 200) => ({
  operationId,
  status,
  errors: null,
});

describe("simulator responses match Kargo's OpenAPI schemas", () => {
  it('rejects what Kargo would not send, so the checks can fail', () => {
    const stage = validatorFor('GetStage', '200');
    expect(stage({ metadata: { name: 'x' } })).toBe(false); // spec is required
    expect(stage({ spec: { requestedFreight: [{ sources: {} }] } })).toBe(
      false,
    ); // origin is required
    expect(stage({ spec: { requestedFreight: 'test' } })).toBe(false); // wrong type
    expect(stage({ spec: {} })).toBe(true);
  });

  const inTest = () =>
    sim.store
      .list<Freight>('Freight', 'kargo-demo')
      .find(f => f.status?.currentlyIn?.test)!;
  const check = (
    operationId: string,
    method: string,
    path: string,
    body?: string,
    contentType?: string,
  ) => conformance(operationId, method, path, body, contentType);

  it('system and projects', async () => {
    expect(
      await check('GetVersionInfo', 'GET', '/v1beta1/system/server-version'),
    ).toEqual(ok('GetVersionInfo'));
    expect(await check('ListProjects', 'GET', '/v1beta1/projects')).toEqual(
      ok('ListProjects'),
    );
    expect(
      await check('GetProject', 'GET', '/v1beta1/projects/kargo-demo'),
    ).toEqual(ok('GetProject'));
    expect(
      await check(
        'GetProjectConfig',
        'GET',
        '/v1beta1/projects/kargo-demo/config',
      ),
    ).toEqual(ok('GetProjectConfig'));
    expect(
      await check(
        'ListProjectEvents',
        'GET',
        '/v1beta1/projects/kargo-demo/events',
      ),
    ).toEqual(ok('ListProjectEvents'));
  });

  it('stages and warehouses', async () => {
    const p = '/v1beta1/projects/kargo-demo';
    expect(
      await check(
        'ListStages',
        'GET',
        '/v1beta1/projects/microservices/stages?freightOrigins=cart',
      ),
    ).toEqual(ok('ListStages'));
    expect(await check('GetStage', 'GET', `${p}/stages/uat`)).toEqual(
      ok('GetStage'),
    );
    expect(
      await check('RefreshStage', 'POST', `${p}/stages/uat/refresh`),
    ).toEqual(ok('RefreshStage'));
    expect(
      await check('Reverify', 'POST', `${p}/stages/uat/verification`),
    ).toEqual(ok('Reverify'));
    sim.tick();
    expect(
      await check(
        'AbortVerification',
        'POST',
        `${p}/stages/uat/verification/abort`,
      ),
    ).toEqual(ok('AbortVerification'));
    expect(await check('ListWarehouses', 'GET', `${p}/warehouses`)).toEqual(
      ok('ListWarehouses'),
    );
    expect(
      await check('GetWarehouse', 'GET', `${p}/warehouses/guestbook`),
    ).toEqual(ok('GetWarehouse'));
    expect(
      await check(
        'RefreshWarehouse',
        'POST',
        `${p}/warehouses/guestbook/refresh`,
      ),
    ).toEqual(ok('RefreshWarehouse'));
  });

  it('freight', async () => {
    const p = '/v1beta1/projects/kargo-demo';
    expect(
      await check(
        'QueryFreightsRest',
        'GET',
        `${p}/freight?groupBy=image_repo`,
      ),
    ).toEqual(ok('QueryFreightsRest'));
    expect(
      await check('QueryFreightsRest', 'GET', `${p}/freight?stage=uat`),
    ).toEqual(ok('QueryFreightsRest'));
    expect(
      await check('GetFreight', 'GET', `${p}/freight/${inTest().alias}`),
    ).toEqual(ok('GetFreight'));
    expect(
      await check(
        'ApproveFreight',
        'POST',
        `${p}/freight/${inTest().alias}/approve?stage=prod`,
      ),
    ).toEqual(ok('ApproveFreight'));
    expect(
      await check(
        'PatchFreightAlias',
        'PATCH',
        `${p}/freight/${inTest().metadata!.name}/alias?newAlias=contract-alias`,
      ),
    ).toEqual(ok('PatchFreightAlias'));
  });

  it('promotions', async () => {
    const p = '/v1beta1/projects/kargo-demo';
    const body = JSON.stringify({ freight: inTest().metadata!.name });
    expect(
      await check('PromoteToStage', 'POST', `${p}/stages/uat/promotions`, body),
    ).toEqual(ok('PromoteToStage', 201));
    const promotion = sim.store
      .list<Promotion>('Promotion', 'kargo-demo')
      .find(x => !x.status?.phase)!;
    sim.tick();
    expect(
      await check('ListPromotions', 'GET', `${p}/promotions?stage=uat`),
    ).toEqual(ok('ListPromotions'));
    expect(
      await check(
        'GetPromotion',
        'GET',
        `${p}/promotions/${promotion.metadata!.name}`,
      ),
    ).toEqual(ok('GetPromotion'));
    expect(
      await check(
        'AbortPromotion',
        'POST',
        `${p}/promotions/${promotion.metadata!.name}/abort`,
      ),
    ).toEqual(ok('AbortPromotion'));
    expect(
      await check(
        'RefreshPromotion',
        'POST',
        `${p}/promotions/${promotion.metadata!.name}/refresh`,
      ),
    ).toEqual(ok('RefreshPromotion'));
    sim.runUntilIdle();
    expect(
      await check(
        'PromoteDownstream',
        'POST',
        `${p}/stages/test/promotions/downstream`,
        body,
      ),
    ).toEqual(ok('PromoteDownstream', 201));
  });

  it('resources', async () => {
    const manifest =
      'apiVersion: kargo.akuity.io/v1alpha1\nkind: Warehouse\nmetadata: { name: contract, namespace: kargo-demo }\n' +
      'spec:\n  subscriptions:\n    - image: { repoURL: ghcr.io/example/contract }\n';
    const yaml = 'application/yaml';
    expect(
      await check(
        'CreateResource',
        'POST',
        '/v1beta1/resources',
        manifest,
        yaml,
      ),
    ).toEqual(ok('CreateResource', 201));
    expect(
      await check(
        'UpdateResource',
        'PUT',
        '/v1beta1/resources',
        manifest,
        yaml,
      ),
    ).toEqual(ok('UpdateResource'));
    expect(
      await check(
        'DeleteResource',
        'DELETE',
        '/v1beta1/resources',
        manifest,
        yaml,
      ),
    ).toEqual(ok('DeleteResource'));
  });
});
