import type {
  KargoWatchEvent,
  Stage,
} from '@kargo-backstage/plugin-kargo-common';
import type { KargoClient } from '../KargoClient';
import type { WatchRequest } from '../kargoWatch';

/**
 * A watch of kargo-demo's stages through the client: `seen` collects `describe` of each event
 * until `stop()` aborts it and waits for it to end. `request` adds to the watch (a
 * resourceVersion, onDisconnect, onExpired).
 */
export function watchDemoStages(
  client: KargoClient,
  describe: (event: KargoWatchEvent<Stage>) => string,
  request: Partial<WatchRequest<Stage>> = {},
) {
  const seen: string[] = [];
  const controller = new AbortController();
  const watching = client.watch<Stage>({
    path: '/v1beta1/projects/{project}/stages',
    params: { project: 'kargo-demo' },
    ...request,
    signal: controller.signal,
    onEvent: event => seen.push(describe(event)),
  });
  return {
    seen,
    stop: async () => {
      controller.abort();
      await watching;
    },
  };
}
