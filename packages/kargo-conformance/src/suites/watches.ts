import type {
  Freight,
  KargoWatchEvent,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import { Conformance } from '../harness';
import { Suite } from './suite';

/** One Server-Sent-Events frame: `event:`, `data:` (parsed), or a `:` comment. */
interface Frame {
  event?: string;
  data?: any;
  comment?: string;
}

/**
 * Opens `path` as a watch and collects its frames until `done` holds or `timeoutMs` passed,
 * then closes it. The answer's status and content type come back with the frames.
 */
async function watchFrames(
  c: Conformance,
  path: string,
  done: (frames: Frame[]) => boolean,
  timeoutMs = 30_000,
  token = c.target.adminToken,
): Promise<{
  status: number;
  contentType: string;
  frames: Frame[];
  text: string;
}> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const response = await fetch(`${c.target.url}${path}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  const contentType = response.headers.get('content-type') ?? '';
  const frames: Frame[] = [];
  let text = '';
  try {
    if (!contentType.startsWith('text/event-stream')) {
      text = await response.text();
      return { status: response.status, contentType, frames, text };
    }
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    while (!done(frames)) {
      const next = await reader.read();
      if (next.done) break;
      buffer += decoder.decode(next.value, { stream: true });
      for (
        let end = buffer.indexOf('\n\n');
        end >= 0;
        end = buffer.indexOf('\n\n')
      ) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const frame: Frame = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) frame.comment = line.slice(1).trim();
          else if (line.startsWith('event:'))
            frame.event = line.slice(6).trim();
          else if (line.startsWith('data:'))
            frame.data = JSON.parse(line.slice(5));
        }
        frames.push(frame);
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { status: response.status, contentType, frames, text };
}

const newer = (rv: string | undefined, than: string) =>
  rv !== undefined && BigInt(rv) > BigInt(than);

/**
 * Watches as Kargo v1.11.2 serves them (pkg/server/list_stages_v1alpha1.go, watch_helpers.go,
 * query_freights_v1alpha1.go): `?watch=true` on a list route streams `data:` frames
 * `{"type","object"}` and resumes from the list's resourceVersion; the project check
 * (project_middleware.go) and authentication answer before any stream, as `{"error": ...}`
 * JSON with the status of the error (rest_router.go handleError).
 */
export const watches: Suite = {
  title: 'watches, version and error answers',
  define(c) {
    let project: string;
    const base = () => `/v1beta1/projects/${project}`;
    beforeAll(async () => {
      project = await c().newProject('watches');
    });

    it('answers its version at /system/server-version', async () => {
      const answer = await c().api('GET', '/v1beta1/system/server-version');
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({
        version: expect.stringMatching(/^(v\d+\.\d+\.\d+|devel\+)/),
        gitCommit: expect.any(String),
        gitTreeDirty: expect.any(Boolean),
        buildDate: expect.any(String),
        goVersion: expect.any(String),
        compiler: expect.any(String),
        platform: expect.any(String),
      });
      // v1.11 resumes watches (a devel build counts as the newest).
      expect(await c().client().serverInfo()).toMatchObject({
        version: answer.json.version,
        resumesWatches: true,
      });
    });

    it("sends only changes after the list's resourceVersion, as data frames", async () => {
      const list = await c().api('GET', `${base()}/stages`);
      const rv: string = list.json.metadata.resourceVersion;
      expect(rv).toMatch(/^\d+$/);
      const listed = list.json.items.map((s: Stage) => s.metadata!.name);
      const watching = watchFrames(
        c(),
        `${base()}/stages?watch=true&resourceVersion=${rv}`,
        frames =>
          frames.some(
            f =>
              f.data?.type === 'MODIFIED' &&
              f.data.object.metadata.name === 'uat' &&
              f.data.object.metadata.annotations?.['kargo.akuity.io/refresh'],
          ),
      );
      await new Promise(resolve => setTimeout(resolve, 500));
      const refresh = await c().api('POST', `${base()}/stages/uat/refresh`);
      expect(refresh.status).toBe(200);
      const { status, contentType, frames } = await watching;
      expect(status).toBe(200);
      expect(contentType).toMatch(/^text\/event-stream/);
      const events = frames.filter(f => f.data);
      expect(events.length).toBeGreaterThan(0);
      for (const { event, data } of events) {
        expect(event).toBeUndefined(); // no event: name on change frames
        expect(['MODIFIED', 'DELETED', 'ADDED']).toContain(data.type);
        expect(
          data.type === 'ADDED' && listed.includes(data.object.metadata.name),
        ).toBe(false);
        expect(newer(data.object.metadata.resourceVersion, rv)).toBe(true);
      }
    });

    it("the plugin's client resumes from a list and hears only what came after", async () => {
      const client = c().client();
      const list = await client.listStages(project);
      const seen: KargoWatchEvent<Stage>[] = [];
      const controller = new AbortController();
      const watching = client.watch<Stage>({
        path: '/v1beta1/projects/{project}/stages',
        params: { project },
        resourceVersion: list.metadata?.resourceVersion,
        signal: controller.signal,
        onEvent: e => seen.push(e),
      });
      await new Promise(resolve => setTimeout(resolve, 500));
      await c().api('POST', `${base()}/stages/test/refresh`);
      await c().eventually(
        'the refresh of test in the watch',
        async () =>
          seen.some(
            e => e.object.metadata?.name === 'test' && e.type === 'MODIFIED',
          ) || undefined,
      );
      controller.abort();
      await watching;
      expect(seen.filter(e => e.type === 'ADDED')).toEqual([]);
    });

    it("watches freight from the query's resourceVersion: new freight comes as ADDED", async () => {
      const query = await c().api('GET', `${base()}/freight`);
      const rv: string = query.json.resourceVersion;
      expect(rv).toMatch(/^\d+$/);
      // Filled in once the freight exists; the watch runs until it has seen it.
      const made: { freight?: Freight } = {};
      const watching = watchFrames(
        c(),
        `${base()}/freight?watch=true&resourceVersion=${rv}`,
        frames =>
          Boolean(made.freight) &&
          frames.some(
            f =>
              f.data?.object?.metadata?.name === made.freight!.metadata?.name,
          ),
      );
      await new Promise(resolve => setTimeout(resolve, 500));
      const created = await c().createFreight(project);
      made.freight = created;
      const { frames } = await watching;
      const events = frames.filter(f => f.data).map(f => f.data);
      expect(events).toEqual([
        expect.objectContaining({
          type: 'ADDED',
          object: expect.objectContaining({
            metadata: expect.objectContaining({ name: created.metadata?.name }),
          }),
        }),
      ]);
    });

    it("answers the watch of a missing project's stages with a 404 JSON error, no stream", async () => {
      const answer = await watchFrames(
        c(),
        '/v1beta1/projects/no-such-project-w/stages?watch=true',
        () => true,
      );
      expect(answer.status).toBe(404);
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(JSON.parse(answer.text)).toEqual({
        error: expect.stringMatching(/"no-such-project-w" not found$/),
      });

      const disconnects: Error[] = [];
      const controller = new AbortController();
      const watching = c()
        .client()
        .watch<Stage>({
          path: '/v1beta1/projects/{project}/stages',
          params: { project: 'no-such-project-w' },
          signal: controller.signal,
          onEvent: () => {},
          onDisconnect: e => {
            disconnects.push(e);
            controller.abort();
          },
        });
      await watching;
      expect(disconnects[0]).toMatchObject({
        name: 'NotFoundError',
        message: expect.stringContaining('"no-such-project-w" not found'),
      });
    });

    it('answers errors as {"error": ...} JSON: 400, 401, 403 and 404', async () => {
      const expectError = (
        answer: { status: number; contentType: string; json: any },
        status: number,
        message: RegExp | string,
      ) => {
        expect(answer.status).toBe(status);
        expect(answer.contentType).toMatch(/^application\/json/);
        expect(Object.keys(answer.json ?? {})).toEqual(['error']);
        // A string is the whole message; a pattern, a part of it.
        expect(answer.json.error)[
          typeof message === 'string' ? 'toBe' : 'toMatch'
        ](message);
      };
      // promote_to_stage_v1alpha1.go: neither freight, alias nor origin.
      expectError(
        await c().api('POST', `${base()}/stages/uat/promotions`, { body: {} }),
        400,
        'exactly one of freight, freightAlias, or origin must be provided',
      );
      // auth_middleware.go: errNoToken, errInvalidToken.
      const anonymous = await fetch(`${c().target.url}${base()}/stages`);
      expectError(
        {
          status: anonymous.status,
          contentType: anonymous.headers.get('content-type') ?? '',
          json: await anonymous.json(),
        },
        401,
        'no token provided',
      );
      expectError(
        await c().api('GET', `${base()}/stages`, { token: 'not-a-jwt' }),
        401,
        'invalid token',
      );
      // kubernetes/client.go: a kargo-viewer API token may not promote; for a Kubernetes token
      // the Forbidden error comes wrapped in "review subject access: ...".
      const token = await c().api(
        'POST',
        `${base()}/roles/kargo-viewer/api-tokens`,
        { body: { name: 'watches-viewer' } },
      );
      expect(token.status).toBe(201);
      const viewer = Buffer.from(token.json.data.token, 'base64').toString(
        'utf8',
      );
      const freight = await c().createFreight(project);
      expectError(
        await c().api('POST', `${base()}/stages/test/promotions`, {
          body: { freight: freight.metadata?.name },
          token: viewer,
        }),
        403,
        /stages\.kargo\.akuity\.io "test" is forbidden: promote is not permitted$/,
      );
      // A viewer may watch: the stream opens.
      const watched = await watchFrames(
        c(),
        `${base()}/stages?watch=true`,
        f => f.length > 0,
        30_000,
        viewer,
      );
      expect(watched.status).toBe(200);
      // project_middleware.go, then the stage lookup.
      expectError(
        await c().api('GET', '/v1beta1/projects/no-such-project-w'),
        404,
        /"no-such-project-w" not found$/,
      );
      expectError(
        await c().api('GET', `${base()}/stages/nope`),
        404,
        /"nope" not found/,
      );
    });
  },
};
