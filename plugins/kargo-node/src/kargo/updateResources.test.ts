import http from 'node:http';
import { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { KargoClient } from './KargoClient';

/** A Kargo whose PUT /v1beta1/resources answers the given statuses in turn. */
async function kargoAnswering(statuses: number[]) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const status = statuses.shift() ?? 500;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        status === 200
          ? { results: [{ updatedResourceManifest: { kind: 'Warehouse' } }] }
          : {
              error:
                'Operation cannot be fulfilled: the object has been modified',
            },
      ),
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new KargoClient(
    { name: 'k', url, token: 't', timeoutMs: 2_000 },
    { logger: mockServices.logger.mock(), retryDelayMs: 1 },
  );
  return { client, seen, close: () => server.close() };
}

describe('KargoClient.updateResources', () => {
  it('sends the update again when Kargo answers 409 (its controller wrote in between)', async () => {
    const kargo = await kargoAnswering([409, 200]);
    const answer = await kargo.client.updateResources('{"kind":"Warehouse"}');
    expect(answer.results?.[0]).toEqual({
      updatedResourceManifest: { kind: 'Warehouse' },
    });
    expect(kargo.seen).toEqual([
      'PUT /v1beta1/resources',
      'PUT /v1beta1/resources',
    ]);
    kargo.close();
  });

  it('gives up with the conflict after three attempts', async () => {
    const kargo = await kargoAnswering([409, 409, 409, 200]);
    await expect(
      kargo.client.updateResources('{"kind":"Warehouse"}'),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    expect(kargo.seen).toHaveLength(3);
    kargo.close();
  });
});
