import { createParser } from 'eventsource-parser';
import type { KargoWatchEvent } from '@kargo-backstage/plugin-kargo-common';

/** The payload of Kargo's `event: error` frames. */
export interface WatchErrorFrame {
  code?: string;
  message?: string;
}

/**
 * Reads one Server-Sent-Events watch response until it ends, is aborted, or stays silent for
 * longer than idleTimeoutMs. Frames are parsed by eventsource-parser; malformed frames throw.
 */
export async function readWatchStream<T>(
  body: ReadableStream<Uint8Array>,
  options: {
    signal: AbortSignal;
    idleTimeoutMs: number;
    onEvent(event: KargoWatchEvent<T>): void;
    onError(frame: WatchErrorFrame): void;
  },
): Promise<void> {
  let failure: Error | undefined;
  const parser = createParser({
    onEvent(message) {
      if (failure) return;
      try {
        const data = JSON.parse(message.data);
        if (message.event === 'error') options.onError(data);
        else options.onEvent(data as KargoWatchEvent<T>);
      } catch (error) {
        failure =
          error instanceof SyntaxError
            ? new Error(`malformed watch frame: ${message.data.slice(0, 100)}`)
            : (error as Error);
      }
    },
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const cancel = () => reader.cancel().catch(() => {});
  options.signal.addEventListener('abort', cancel);
  try {
    for (;;) {
      const next = await readWithin(reader, options.idleTimeoutMs);
      if (next === 'idle') {
        cancel();
        throw new Error(`no data for ${options.idleTimeoutMs} ms`);
      }
      if (next.done) return;
      parser.feed(decoder.decode(next.value, { stream: true }));
      if (failure) {
        cancel();
        throw failure;
      }
    }
  } finally {
    options.signal.removeEventListener('abort', cancel);
  }
}

async function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  ms: number,
): Promise<ReadableStreamReadResult<Uint8Array> | 'idle'> {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<'idle'>(resolve => {
    timer = setTimeout(() => resolve('idle'), ms);
  });
  try {
    return await Promise.race([reader.read(), idle]);
  } finally {
    clearTimeout(timer);
  }
}
