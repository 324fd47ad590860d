import {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
} from '@backstage/errors';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import {
  kargoFreightPromotePermission,
  kargoProjectReadPermission,
} from '@kargo-backstage/plugin-kargo-common';
import {
  KargoClient,
  KargoInstances,
} from '@kargo-backstage/plugin-kargo-node';
import express from 'express';
import { ProjectStates } from '../state/ProjectStates';
import { ProjectSnapshot } from '../views/buildProjectView';
import {
  actorOf,
  authorizeProjectRead,
  createOperationRunner,
  Operation,
  OperationCall,
  OperationDeps,
} from './operation';
import { approveBody } from './schemas';

const jane = mockCredentials.user('user:default/jane');

/** One audit event as the plugin's auditor received it. */
interface AuditRecord {
  eventId: string;
  severityLevel?: string;
  request?: unknown;
  /** The meta when the event was created. */
  meta?: JsonObject;
  outcome?: 'success' | 'fail';
  /** The meta the outcome carried. */
  outcomeMeta?: JsonObject;
  error?: Error;
}

/** The order things happened in, across the fakes and the handler. */
let log: string[];
let audits: AuditRecord[];

function recordingAuditor(): AuditorService {
  return mockServices.auditor.mock({
    createEvent: async options => {
      const record: AuditRecord = {
        eventId: options.eventId,
        severityLevel: options.severityLevel,
        request: options.request,
        meta: structuredClone(options.meta),
      };
      audits.push(record);
      log.push('audit:create');
      return {
        success: async (o?: { meta?: JsonObject }) => {
          log.push('audit:success');
          record.outcome = 'success';
          record.outcomeMeta = structuredClone(o?.meta);
        },
        fail: async (o: { meta?: JsonObject; error: Error }) => {
          log.push('audit:fail');
          record.outcome = 'fail';
          record.outcomeMeta = structuredClone(o.meta);
          record.error = o.error;
        },
      };
    },
  });
}

/** A permissions service that denies the given resource refs and allows the rest. */
function permissionsDenying(...denied: string[]) {
  const authorize = jest.fn(async (requests: AuthorizePermissionRequest[]) =>
    requests.map(r => ({
      result: denied.includes(r.resourceRef ?? '')
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    })),
  );
  const service = {
    authorize,
    authorizeConditional: jest.fn(),
  } as unknown as PermissionsService;
  return { service, authorize };
}

type FakeClient = KargoClient & { token?: string };

function fakeClient(
  name = 'main',
  options: { forwardUserToken?: boolean } = {},
): FakeClient {
  const client: any = {
    instance: { name, forwardUserToken: options.forwardUserToken ?? false },
  };
  client.withToken = jest.fn((token: string) => ({ ...client, token }));
  return client;
}

const snapshotOf = (): ProjectSnapshot => ({
  resourceVersions: {},
  stages: [],
  warehouses: [],
  freight: [],
  promotions: [],
  fetchedAt: '2026-11-02T12:00:00Z',
});

function setup(
  options: {
    client?: FakeClient;
    denied?: string[];
    portalDataOnly?: boolean;
    onChange?: boolean;
  } = {},
) {
  const client = options.client ?? fakeClient();
  const permissions = permissionsDenying(...(options.denied ?? []));
  const instances = {
    get: jest.fn((name: string) => {
      if (name !== client.instance.name) {
        throw new InputError(`Unknown Kargo instance "${name}"`);
      }
      return client;
    }),
    names: () => [client.instance.name],
  } as unknown as KargoInstances;
  const snapshot = snapshotOf();
  const states = {
    get: jest.fn(async () => {
      log.push('snapshot:get');
      return snapshot;
    }),
    changedByPortal: jest.fn(() => {
      log.push('state:changedByPortal');
    }),
  };
  const onChange = jest.fn(() => {
    log.push('onChange');
  });
  const deps: OperationDeps = {
    httpAuth: mockServices.httpAuth.mock(),
    permissions: permissions.service,
    auditor: recordingAuditor(),
    instances,
    states: states as unknown as ProjectStates,
    onChange: options.onChange === false ? undefined : onChange,
    portalDataOnly: options.portalDataOnly,
  };
  return {
    run: createOperationRunner(deps),
    client,
    snapshot,
    states,
    onChange,
    authorize: permissions.authorize,
  };
}

const promoteCall = (
  fields: Partial<OperationCall<unknown>> = {},
): OperationCall<unknown> => ({
  credentials: jane,
  params: { instance: 'main', project: 'shop', stage: 'prod' },
  body: { freight: 'f1' },
  ...fields,
});

/** Runs and returns what the run threw. */
async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the run to fail');
}

/** Runs a promotion and returns the operation its handler was given. */
async function operationOf(
  run: ReturnType<typeof setup>['run'],
  call: OperationCall<unknown>,
): Promise<Operation<unknown>> {
  let op: Operation<unknown> | undefined;
  await run('freight-promote', call, async o => {
    op = o;
    return { status: 201 };
  });
  return op!;
}

beforeEach(() => {
  log = [];
  audits = [];
});

describe('createOperationRunner', () => {
  it('runs the handler with the call, audits the success with the user, then tells the project state and open pages', async () => {
    const { run, client, states, onChange } = setup();
    const request = { ip: '10.0.0.1' } as express.Request;
    let seen: Operation<unknown> | undefined;
    const result = await run(
      'freight-promote',
      promoteCall({ request }),
      async op => {
        seen = op;
        log.push('handler');
        op.meta.promotion = 'prod.1';
        return { status: 201, body: { name: 'prod.1' } };
      },
    );

    expect(result).toEqual({ status: 201, body: { name: 'prod.1' } });
    expect(seen).toMatchObject({
      credentials: jane,
      params: { instance: 'main', project: 'shop', stage: 'prod' },
      body: { freight: 'f1' },
      instance: 'main',
      project: 'shop',
    });
    expect(seen!.reader).toBe(client);
    expect(seen!.writer).toBe(client);
    expect(seen!.stageRef('uat')).toBe('main/shop/uat');

    expect(audits).toEqual([
      {
        eventId: 'freight-promote',
        severityLevel: 'medium',
        request,
        meta: {
          instance: 'main',
          project: 'shop',
          stage: 'prod',
          actor: 'user:default/jane',
        },
        outcome: 'success',
        outcomeMeta: {
          instance: 'main',
          project: 'shop',
          stage: 'prod',
          actor: 'user:default/jane',
          promotion: 'prod.1',
        },
      },
    ]);
    expect(states.changedByPortal).toHaveBeenCalledWith({
      instance: 'main',
      project: 'shop',
    });
    expect(onChange).toHaveBeenCalledWith('main', 'shop');
    expect(log).toEqual([
      'audit:create',
      'handler',
      'state:changedByPortal',
      'onChange',
      'audit:success',
    ]);
  });

  it('audits a failure with the error and the meta so far, rethrows it, and changes nothing', async () => {
    const { run, states, onChange } = setup();
    const conflict = new ConflictError('Promotion "prod.1" already running');
    const error = await failureOf(
      run('freight-promote', promoteCall(), async op => {
        op.meta.freight = 'f1';
        throw conflict;
      }),
    );

    expect(error).toBe(conflict);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      eventId: 'freight-promote',
      outcome: 'fail',
      error: conflict,
      outcomeMeta: { actor: 'user:default/jane', freight: 'f1' },
    });
    expect(states.changedByPortal).not.toHaveBeenCalled();
    expect(onChange).not.toHaveBeenCalled();
    expect(log).toEqual(['audit:create', 'audit:fail']);
  });

  it('audits an unknown instance as a failure too', async () => {
    const { run } = setup();
    const handler = jest.fn();
    const error = await failureOf(
      run(
        'freight-promote',
        promoteCall({ params: { instance: 'other', project: 'shop' } }),
        handler,
      ),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(handler).not.toHaveBeenCalled();
    expect(audits[0]).toMatchObject({
      outcome: 'fail',
      error,
      meta: { instance: 'other', actor: 'user:default/jane' },
    });
  });

  it('keeps the Kargo cache for portal-only changes, but still tells pages', async () => {
    const { run, states, onChange } = setup({ portalDataOnly: true });
    await run('promotion-window-update', promoteCall(), async () => ({
      status: 204,
    }));
    expect(states.changedByPortal).not.toHaveBeenCalled();
    expect(onChange).toHaveBeenCalledWith('main', 'shop');
    expect(audits[0].outcome).toBe('success');
  });

  it('answers a made change as done when the cache drop after it fails, and records that', async () => {
    const { run, states, onChange } = setup();
    states.changedByPortal.mockImplementationOnce(() => {
      throw new Error('cache down');
    });
    await expect(
      run('stage-refresh', promoteCall(), async () => ({ status: 204 })),
    ).resolves.toEqual({ status: 204 });
    expect(audits[0].outcome).toBe('success');
    expect(audits[0].outcomeMeta).toMatchObject({
      afterChange: 'failed: cache down',
    });
    expect(onChange).not.toHaveBeenCalled();
  });

  it('works without onChange', async () => {
    const { run, states } = setup({ onChange: false });
    await expect(
      run('stage-refresh', promoteCall(), async () => ({ status: 204 })),
    ).resolves.toEqual({ status: 204 });
    expect(states.changedByPortal).toHaveBeenCalledWith({
      instance: 'main',
      project: 'shop',
    });
  });

  it('names a service caller service:<subject> in the audit', async () => {
    const { run } = setup();
    await run(
      'stage-refresh',
      promoteCall({
        credentials: mockCredentials.service('plugin:scaffolder'),
      }),
      async () => ({ status: 204 }),
    );
    expect(audits[0].meta).toMatchObject({
      actor: 'service:plugin:scaffolder',
    });
  });

  describe('snapshot', () => {
    it('reads the project once, with the reading client, and only when asked', async () => {
      const { run, client, snapshot, states } = setup();
      await run('freight-promote', promoteCall(), async op => {
        expect(states.get).not.toHaveBeenCalled();
        expect(await op.snapshot()).toBe(snapshot);
        expect(await op.snapshot()).toBe(snapshot);
        return { status: 200 };
      });
      expect(states.get).toHaveBeenCalledTimes(1);
      expect(states.get).toHaveBeenCalledWith(client, 'shop');
    });
  });

  describe('authorize', () => {
    it('asks the permission for every resource, as the user', async () => {
      const { run, authorize } = setup();
      await run('freight-promote', promoteCall(), async op => {
        await op.authorize(kargoFreightPromotePermission, [
          op.stageRef('uat'),
          op.stageRef('prod'),
        ]);
        return { status: 201 };
      });
      expect(authorize).toHaveBeenCalledWith(
        [
          {
            permission: kargoFreightPromotePermission,
            resourceRef: 'main/shop/uat',
          },
          {
            permission: kargoFreightPromotePermission,
            resourceRef: 'main/shop/prod',
          },
        ],
        { credentials: jane },
      );
      expect(audits[0].outcome).toBe('success');
    });

    it('refuses with 403 naming the permission and only the denied resources', async () => {
      const { run, states, onChange } = setup({
        denied: ['main/shop/prod', 'main/shop/prod-eu'],
      });
      const error = await failureOf(
        run('freight-promote', promoteCall(), async op => {
          await op.authorize(kargoFreightPromotePermission, [
            op.stageRef('uat'),
            op.stageRef('prod'),
            op.stageRef('qa'),
            op.stageRef('prod-eu'),
          ]);
          log.push('after authorize');
          return { status: 201 };
        }),
      );
      expect(error).toBeInstanceOf(NotAllowedError);
      expect(error.message).toBe(
        'Not allowed: kargo.freight.promote on main/shop/prod, main/shop/prod-eu',
      );
      expect(log).not.toContain('after authorize');
      expect(audits[0]).toMatchObject({ outcome: 'fail', error });
      expect(states.changedByPortal).not.toHaveBeenCalled();
      expect(onChange).not.toHaveBeenCalled();
    });

    it('decides a service itself: only the permissions its access restrictions name', async () => {
      const { run, authorize } = setup();
      /** A promotion into prod by `credentials`: the handler authorizes the prod stage. */
      const promoteToProd = (
        credentials: OperationCall<unknown>['credentials'],
      ) =>
        run('freight-promote', promoteCall({ credentials }), async op => {
          await op.authorize(kargoFreightPromotePermission, [
            op.stageRef('prod'),
          ]);
          return { status: 201 };
        });
      const allowed = mockCredentials.service('external:ci', {
        permissionNames: ['kargo.freight.promote'],
      });
      await promoteToProd(allowed);
      const unrestricted = mockCredentials.service('external:ci');
      const error = await failureOf(promoteToProd(unrestricted));
      expect(error).toBeInstanceOf(NotAllowedError);
      expect(authorize).not.toHaveBeenCalled();
    });
  });

  describe('on an instance that acts with the user’s own Kargo token (forwardUserToken)', () => {
    it('refuses with 401 when no token was sent, before the handler', async () => {
      const client = fakeClient('main', { forwardUserToken: true });
      const { run, states } = setup({ client });
      const handler = jest.fn();
      const error = await failureOf(
        run('freight-promote', promoteCall(), handler),
      );
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.message).toBe(
        'Kargo instance "main" acts with your own Kargo token; none was sent (x-kargo-token)',
      );
      expect(handler).not.toHaveBeenCalled();
      expect(client.withToken).not.toHaveBeenCalled();
      expect(audits[0]).toMatchObject({ outcome: 'fail', error });
      expect(states.changedByPortal).not.toHaveBeenCalled();
    });

    it("writes with the user's token and reads with the portal's", async () => {
      const client = fakeClient('main', { forwardUserToken: true });
      const { run } = setup({ client });
      const op = await operationOf(
        run,
        promoteCall({ kargoToken: 'dana-kargo-token' }),
      );
      expect(client.withToken).toHaveBeenCalledWith('dana-kargo-token');
      expect(op.reader).toBe(client);
      expect((op.writer as FakeClient).token).toBe('dana-kargo-token');
      expect(op.writer).toBe(
        (client.withToken as jest.Mock).mock.results[0].value,
      );
    });
  });

  it("ignores a user's token on an instance that acts with its own", async () => {
    const { run, client } = setup();
    const op = await operationOf(
      run,
      promoteCall({ kargoToken: 'dana-kargo-token' }),
    );
    expect(client.withToken).not.toHaveBeenCalled();
    expect(op.writer).toBe(client);
  });
});

describe('run.checked', () => {
  it('hands the handler the checked body', async () => {
    const { run } = setup();
    const handler = jest.fn(async () => ({ status: 200 }));
    await run.checked(
      'freight-approve',
      promoteCall({ body: { stage: 'prod' } }),
      approveBody,
      handler,
    );
    expect(handler).toHaveBeenCalledWith(
      expect.objectContaining({ body: { stage: 'prod' }, project: 'shop' }),
    );
    expect(audits[0].outcome).toBe('success');
  });

  it('refuses a bad body with 400 naming the field, audited as a failure, before the handler', async () => {
    const { run, states, onChange } = setup();
    const handler = jest.fn();
    const error = await failureOf(
      run.checked(
        'freight-approve',
        promoteCall({ body: { stage: 'Prod' } }),
        approveBody,
        handler,
      ),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      'Invalid request body: stage: must be a lowercase Kubernetes object name',
    );
    expect(handler).not.toHaveBeenCalled();
    expect(audits[0]).toMatchObject({
      eventId: 'freight-approve',
      outcome: 'fail',
      error,
    });
    expect(states.changedByPortal).not.toHaveBeenCalled();
    expect(onChange).not.toHaveBeenCalled();
  });
});

describe('authorizeProjectRead and actorOf', () => {
  it('allows or refuses the project, naming the permission and the project', async () => {
    const ref = { instance: 'main', project: 'shop' };
    const allow = permissionsDenying();
    await expect(
      authorizeProjectRead(allow.service, jane, ref),
    ).resolves.toBeUndefined();
    expect(allow.authorize).toHaveBeenCalledWith(
      [{ permission: kargoProjectReadPermission, resourceRef: 'main/shop' }],
      { credentials: jane },
    );
    const deny = permissionsDenying('main/shop');
    const error = await failureOf(
      authorizeProjectRead(deny.service, jane, ref),
    );
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toBe('Not allowed: kargo.project.read on main/shop');
  });

  it('names users by entity ref and services by subject', () => {
    expect(actorOf(jane)).toBe('user:default/jane');
    expect(actorOf(mockCredentials.service('plugin:catalog'))).toBe(
      'service:plugin:catalog',
    );
  });
});
