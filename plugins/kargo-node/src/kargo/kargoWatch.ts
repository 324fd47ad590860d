import {
  NotImplementedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type {
  KargoPaths,
  KargoWatchEvent,
} from '@kargo-backstage/plugin-kargo-common';
import { kargoResponseError } from './kargoErrors';
import { KargoServerInfo } from './kargoServer';
import { fill, KargoQuery, KargoTransport, sleep } from './kargoTransport';
import { readWatchStream, WatchErrorFrame } from './watchStream';
import { listItems, listResourceVersion, WatchReplay } from './watchReplay';

/** What `watch` needs: a list path template and its parameters. @public */
export interface WatchRequest<T> {
  path: keyof KargoPaths;
  params: Record<string, string>;
  query?: KargoQuery;
  /** Resume after this resourceVersion (from a list); all objects as ADDED when absent. */
  resourceVersion?: string;
  onEvent(event: KargoWatchEvent<T>): void;
  /**
   * The resourceVersion expired (Kubernetes compacted its history): list again and return the
   * list's resourceVersion to resume from. Without it the watch restarts from scratch.
   */
  onExpired?(): Promise<string | undefined>;
  /** Called on each failed connection before the reconnect. */
  onDisconnect?(error: Error): void;
  /** Called when a connection follows Kargo again (events from here on are Kargo's latest). */
  onConnect?(): void;
  signal: AbortSignal;
  /** Reconnect when nothing (not even a keepalive) arrived for this long (default 60 s). */
  idleTimeoutMs?: number;
  /**
   * How often to list again where Kargo has no watch for the path (freight before v1.11),
   * reporting the differences as events (default 30 s).
   */
  pollIntervalMs?: number;
}

type Watched = { metadata?: { resourceVersion?: string; name?: string } };

interface Position {
  resourceVersion?: string;
  failures: number;
}

const isEventStream = (response: Response) =>
  (response.headers.get('content-type') ?? '').startsWith('text/event-stream');

/**
 * Follows a list endpoint with `?watch=true` until the signal aborts: reconnects with backoff
 * after a cut, resuming from the last resourceVersion seen, and re-lists (through onExpired)
 * when Kargo says that version expired. On a Kargo that cannot resume (before v1.11) each
 * connection lists again and reports only what changed (see watchReplaying).
 */
export async function watchKargo<T extends Watched>(
  transport: KargoTransport,
  serverInfo: () => Promise<KargoServerInfo>,
  request: WatchRequest<T>,
): Promise<void> {
  const { logger, retryDelayMs } = transport.options;
  const position: Position = {
    resourceVersion: request.resourceVersion,
    failures: 0,
  };
  let replay: WatchReplay<T> | undefined;
  while (!request.signal.aborted) {
    try {
      if (!(await serverInfo()).resumesWatches) {
        replay ??= new WatchReplay<T>(event => {
          position.failures = 0;
          request.onEvent(event);
        });
        await watchReplaying(transport, request, replay, position);
        position.failures = 0; // a poll went through
        continue;
      }
      const expired = await watchOnce(transport, request, position);
      if (expired) {
        position.resourceVersion = request.onExpired
          ? await request.onExpired()
          : undefined;
        continue;
      }
      throw new ServiceUnavailableError(
        `Kargo instance "${transport.instance.name}" ended the watch stream`,
      );
    } catch (error) {
      if (request.signal.aborted) return;
      position.failures += 1;
      const err = error instanceof Error ? error : new Error(String(error));
      request.onDisconnect?.(err);
      logger.debug(`watch of ${request.path} interrupted: ${err.message}`);
      if (err instanceof NotImplementedError) throw err; // refused server
      const backoff = retryDelayMs * 2 ** Math.min(position.failures - 1, 8);
      await sleep(Math.min(30_000, backoff), request.signal);
    }
  }
}

/** Opens a watch connection; a refusal (404, 401...) is Kargo's error, not a stream. */
async function openWatch<T>(
  transport: KargoTransport,
  request: WatchRequest<T>,
  resourceVersion: string | undefined,
): Promise<Response> {
  const url = transport.url(fill(request.path, request.params), {
    ...request.query,
    watch: 'true',
    resourceVersion,
  });
  const response = await fetch(url, {
    headers: transport.headers({ accept: 'text/event-stream' }),
    signal: request.signal,
  });
  if (!response.ok || !response.body) {
    throw kargoResponseError(
      transport.instance.name,
      response.status,
      await response.text(),
    );
  }
  return response;
}

/** One watch connection; resolves true when Kargo reports the resourceVersion expired. */
async function watchOnce<T extends Watched>(
  transport: KargoTransport,
  request: WatchRequest<T>,
  position: Position,
): Promise<boolean> {
  const { name } = transport.instance;
  const response = await openWatch(
    transport,
    request,
    position.resourceVersion,
  );
  if (!isEventStream(response)) {
    await response.body?.cancel();
    throw new ServiceUnavailableError(
      `Kargo instance "${name}" answered the watch of ${request.path} with ${
        response.headers.get('content-type') || 'no content type'
      }, not an event stream`,
    );
  }
  let expired = false;
  request.onConnect?.();
  await readWatchStream<T>(response.body!, {
    signal: request.signal,
    idleTimeoutMs: request.idleTimeoutMs ?? 60_000,
    onEvent: event => {
      position.failures = 0;
      position.resourceVersion =
        event.object?.metadata?.resourceVersion ?? position.resourceVersion;
      request.onEvent(event);
    },
    onError: (frame: WatchErrorFrame) => {
      if (
        frame.code === 'out_of_range' ||
        /expired|too old/i.test(frame.message ?? '')
      ) {
        expired = true;
        return;
      }
      throw new ServiceUnavailableError(
        `Kargo instance "${name}" watch error: ${frame.message ?? frame.code}`,
      );
    },
  });
  return expired;
}

/**
 * One connection to a Kargo before v1.11, which ignores resourceVersion and replays every
 * object as ADDED (pkg/server/list_stages_v1alpha1.go at v1.10.10), and has no freight watch:
 * there `?watch=true` answers the list itself (query_freights_v1alpha1.go at v1.10.10), which
 * is then polled. The connection is opened first and the list read after, so nothing falls in
 * between; the caller hears only what differs from what it was told. On the first connection
 * the caller's own list stands for what it has; when that list's resourceVersion is not this
 * one's, onExpired has it list again.
 */
async function watchReplaying<T extends Watched>(
  transport: KargoTransport,
  request: WatchRequest<T>,
  replay: WatchReplay<T>,
  position: Position,
): Promise<void> {
  const { name } = transport.instance;
  const response = await openWatch(transport, request, undefined);
  const streaming = isEventStream(response);
  let list: unknown;
  if (streaming) {
    list = await transport
      .request('GET', fill(request.path, request.params), {
        query: request.query,
        retry: true,
        expectBody: true,
      })
      .catch(async error => {
        await response.body?.cancel();
        throw error;
      });
  } else {
    const text = await response.text();
    try {
      list = JSON.parse(text);
    } catch (error) {
      throw new ServiceUnavailableError(
        `Kargo instance "${name}" answered the watch of ${request.path} with neither an event stream nor a list`,
        error as Error,
      );
    }
  }
  const items = listItems<T>(list);
  if (!replay.started && position.resourceVersion !== undefined) {
    replay.baseline(items);
    if (listResourceVersion(list) !== position.resourceVersion) {
      await request.onExpired?.();
    }
  } else {
    replay.reconcile(items);
  }
  request.onConnect?.();
  if (!streaming) {
    await sleep(request.pollIntervalMs ?? 30_000, request.signal);
    return;
  }
  await readWatchStream<T>(response.body!, {
    signal: request.signal,
    idleTimeoutMs: request.idleTimeoutMs ?? 60_000,
    onEvent: event => replay.event(event),
    // Kargo before v1.11 sends no error frames; one here is no reason to stop either.
    onError: frame =>
      transport.options.logger.debug(
        `watch of ${request.path}: ${frame.message ?? frame.code}`,
      ),
  });
  throw new ServiceUnavailableError(
    `Kargo instance "${name}" ended the watch stream`,
  );
}
