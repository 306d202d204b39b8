import { Worker } from 'node:worker_threads';

/** A worker thread does not inherit the tsx loader: this script registers it, then loads `workerData.entry`. */
const BOOTSTRAP = new URL('../../bin/typescript-worker.mjs', import.meta.url);

/**
 * Starts a worker thread that runs the TypeScript module `entry` (a URL, e.g. resolved against
 * the caller's `import.meta.url`) with `data` as its `workerData`, plus the `entry` itself.
 *
 * @example
 * const worker = startTypeScriptWorker(new URL('./extract-worker.ts', import.meta.url), { lakeDir });
 */
export function startTypeScriptWorker(entry: URL, data: object): Worker {
  return new Worker(BOOTSTRAP, { workerData: { ...data, entry: entry.href } });
}
