import { Request, Response } from 'express';
import {
  Kind,
  KargoObject,
  ResourceStore,
  StoreEvent,
} from '../store/ResourceStore';
import { Faults } from './faults';

export interface WatchOptions {
  kind: Kind;
  namespace: string;
  /** Which objects of the kind this watch is about (a name, a filter). */
  matches: (object: KargoObject) => boolean;
  /**
   * A single-object watch (fieldSelector on the name): resourceVersion is ignored and other
   * objects never appear. A collection watch filters in process, as Kargo does.
   */
  single?: boolean;
  /**
   * Kargo v1.11+ resumes from resourceVersion; before, every connection replays the current
   * objects as ADDED whatever it asks (list_stages_v1alpha1.go at v1.10.10), and no
   * `event: error` is sent.
   */
  resumes: boolean;
  keepaliveMs: number;
  faults: Faults;
}

/**
 * Serves `?watch=true` as Kargo does: Server-Sent Events with one
 * `data: {"type":"ADDED|MODIFIED|DELETED","object":{...}}` frame per change, keepalive comments,
 * and `event: error` when the requested resourceVersion is too old to resume from.
 * Without a resourceVersion the current objects come first as ADDED, as a Kubernetes watch does.
 * Filtered collection watches behave like Kargo's FilteredWatchEventType: a matching event goes
 * out unchanged, a MODIFIED that no longer matches goes out as DELETED, others are dropped.
 */
export function serveWatch(
  store: ResourceStore,
  req: Request,
  res: Response,
  options: WatchOptions,
): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();

  let sent = 0;
  const inScope = (e: StoreEvent) =>
    e.kind === options.kind && e.namespace === options.namespace;
  /** The frame type to send for a change, or undefined to drop it. */
  const frameType = (e: StoreEvent): string | undefined => {
    if (!inScope(e)) return undefined;
    if (options.matches(e.object)) return e.type;
    return !options.single && e.type === 'MODIFIED' ? 'DELETED' : undefined;
  };
  let cut = false;
  const send = (type: string, object: KargoObject) => {
    if (cut) return;
    sent += 1;
    const cutAfter = options.faults.cutWatchAfterEvents;
    cut = cutAfter > 0 && sent >= cutAfter;
    // A cut is a broken connection after the frame went out, not a clean end.
    res.write(`data: ${JSON.stringify({ type, object })}\n\n`, () => {
      if (cut) res.destroy();
    });
  };

  const fromParam =
    options.single || !options.resumes ? undefined : req.query.resourceVersion;
  let lastSent = Number(store.currentResourceVersion());
  if (typeof fromParam === 'string' && fromParam !== '' && fromParam !== '0') {
    const from = Number(fromParam);
    const missed = Number.isFinite(from) ? store.eventsSince(from) : undefined;
    if (!missed) {
      res.write(
        `event: error\ndata: ${JSON.stringify({
          code: 'out_of_range',
          message: `watch resource version expired: too old resource version: ${fromParam} (${store.currentResourceVersion()})`,
        })}\n\n`,
      );
      res.end();
      return;
    }
    for (const event of missed) {
      const type = frameType(event);
      if (type) send(type, event.object);
    }
  } else {
    const current = store.list(options.kind, options.namespace);
    for (const object of current.filter(options.matches)) {
      send('ADDED', object);
    }
  }
  if (cut) return;

  const unsubscribe = store.subscribe(event => {
    if (event.resourceVersion <= lastSent) return;
    lastSent = event.resourceVersion;
    const type = frameType(event);
    if (type && !res.destroyed) send(type, event.object);
  });
  const keepalive = setInterval(
    () => res.write(': keepalive\n\n'),
    options.keepaliveMs,
  );
  const stop = () => {
    clearInterval(keepalive);
    unsubscribe();
  };
  req.on('close', stop);
  res.on('close', stop);
}
