/* Timing helpers shared by the benchmarks. */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
export const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))];
};
export const time = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

/**
 * Times a GET from a worker thread: a browser's view of the backend, whose clock does not stop
 * while the backend's thread works on after answering (e.g. filling the shared cache).
 */
export function remoteClient() {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
    parentPort.on('message', async url => {
      const start = performance.now();
      const res = await fetch(url);
      JSON.parse(await res.text());
      parentPort.postMessage({ ms: performance.now() - start, status: res.status });
    });`,
    { eval: true },
  );
  worker.unref();
  return (url: string) =>
    new Promise<number>((resolve, reject) => {
      worker.once('message', ({ ms, status }) =>
        status === 200 ? resolve(ms) : reject(new Error(`view ${status}`)),
      );
      worker.postMessage(url);
    });
}
