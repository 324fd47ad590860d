/*
 * The demo's `file` catalog locations (catalogModuleLocalFiles), with the real catalog backend:
 * only files under the demo's own folders (`demo.localFiles.roots`, default examples/) are read,
 * whoever registers them (POST /api/catalog/locations, the scaffolder's catalog:register:local,
 * a Location entity pointing at a file); without `demo.enabled` the catalog takes no `file`
 * locations at all.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import fs from 'fs-extra';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { stringify } from 'yaml';
import { catalogModuleLocalFiles } from './localPublishModule';

jest.setTimeout(60_000);

const examples = path.resolve(__dirname, '../../../examples');

let tmp: string;
/** A catalog file outside examples/, readable by the backend. */
let outside: string;

const component = (name: string) =>
  stringify({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name },
    spec: { type: 'service', lifecycle: 'experimental', owner: 'guests' },
  });

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kargo-local-files-'));
  outside = path.join(tmp, 'outside.yaml');
  await fs.writeFile(outside, component('outside'));
});
afterAll(async () => {
  await fs.remove(tmp);
});

/** Every kind allowed: a refusal is the file's, never its entities' kinds. */
const rules = [
  {
    allow: [
      'Component',
      'System',
      'API',
      'Resource',
      'Location',
      'User',
      'Group',
    ],
  },
];

/** What the catalog's processing reported, as its onProcessingError handler sees it. */
const processingErrors: Array<{ entity: string; message: string }> = [];
const catalogModuleErrors = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'test-errors',
  register(reg) {
    reg.registerInit({
      deps: { processing: catalogProcessingExtensionPoint },
      async init({ processing }) {
        processing.setOnProcessingErrorHandler(
          ({ unprocessedEntity, errors }) => {
            for (const error of errors) {
              processingErrors.push({
                entity:
                  unprocessedEntity.metadata.annotations?.[
                    'backstage.io/managed-by-location'
                  ] ?? '',
                message: String(error),
              });
            }
          },
        );
      },
    });
  },
});

async function eventually<T>(fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 150; i++) {
    const value = fn();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error('timed out');
}

/** SQLite that the suite closes at its end (the default one's pool would outlive the tests). */
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function catalog(data: object) {
  const knex = await databases.init('SQLITE_3');
  const { server } = await startTestBackend({
    features: [
      mockServices.database.factory({ knex }),
      catalogPlugin,
      catalogModuleLocalFiles,
      catalogModuleErrors,
      mockServices.rootConfig.factory({
        data: { catalog: { rules }, ...data },
      }),
    ],
  });
  return server;
}

function register(server: any, target: string, dryRun = true) {
  return request(server)
    .post(`/api/catalog/locations${dryRun ? '?dryRun=true' : ''}`)
    .send({ type: 'file', target });
}

describe('with demo.enabled', () => {
  let server: any;
  beforeAll(async () => {
    server = await catalog({ demo: { enabled: true } });
  });

  it('reads a file under examples/', async () => {
    const res = await register(server, path.join(examples, 'entities.yaml'));
    expect(res.status).toBe(201);
    expect(res.body.entities.map((e: any) => e.metadata.name)).toContain(
      'example-website',
    );
  });

  it('refuses a file outside examples/', async () => {
    const res = await register(server, outside);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/not under/);
    expect(JSON.stringify(res.body)).not.toContain('"outside"');
  });

  it('refuses a path that leaves examples/ with ..', async () => {
    const target = `${examples}/${path.relative(examples, outside)}`;
    expect(target).toContain('/../');
    const res = await register(server, target);
    expect(res.status).toBe(400);
    expect((await register(server, `${examples}/../package.json`)).status).toBe(
      400,
    );
  });

  it('refuses glob patterns', async () => {
    const res = await register(server, path.join(examples, '*.yaml'));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/pattern/);
  });

  it('stores a location registered for real but never reads its file', async () => {
    const res = await register(server, outside, false);
    expect(res.status).toBe(201);
    // The catalog processes the new location: it ends with the refusal, without the file.
    const refusal = await eventually(() =>
      processingErrors.find(
        e => e.entity === `file:${outside}` || e.message.includes(outside),
      ),
    );
    expect(refusal.message).toMatch(/not under/);
    const entity = await request(server).get(
      '/api/catalog/entities/by-name/component/default/outside',
    );
    expect(entity.status).toBe(404);
  });
});

describe('with demo.localFiles.roots', () => {
  let root: string;
  let server: any;
  beforeAll(async () => {
    root = path.join(tmp, 'root');
    await fs.ensureDir(root);
    await fs.writeFile(path.join(root, 'inside.yaml'), component('inside'));
    // A link out of the root, and a Location entity pointing out of it.
    await fs.symlink(outside, path.join(root, 'link.yaml'));
    await fs.writeFile(
      path.join(root, 'location.yaml'),
      stringify({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Location',
        metadata: { name: 'escape' },
        spec: { type: 'file', target: outside },
      }),
    );
    server = await catalog({
      demo: { enabled: true, localFiles: { roots: [root] } },
    });
  });

  it('reads files under the configured root only', async () => {
    const inside = await register(server, path.join(root, 'inside.yaml'));
    expect(inside.status).toBe(201);
    expect(inside.body.entities.map((e: any) => e.metadata.name)).toContain(
      'inside',
    );
    expect(
      (await register(server, path.join(examples, 'entities.yaml'))).status,
    ).toBe(400);
  });

  it('refuses a symbolic link out of the root', async () => {
    const res = await register(server, path.join(root, 'link.yaml'));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/not under/);
  });

  it('refuses a Location entity that points out of the root', async () => {
    const res = await register(server, path.join(root, 'location.yaml'));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/not under/);
  });
});

describe('without demo.enabled', () => {
  it('takes no file locations', async () => {
    const server = await catalog({});
    const res = await register(server, path.join(examples, 'entities.yaml'));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/allowed type/);
  });
});
