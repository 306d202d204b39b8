import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';

/** A worker thread does not inherit the tsx loader: this script registers it, then loads `workerData.entry`. */
const BOOTSTRAP = new URL('../../bin/typescript-worker.mjs', import.meta.url);

let bundleFolder: URL | undefined;

/**
 * Makes workers start from the CLI's bundle in `folder` (see bin/cli-bundle.mjs), where each
 * `src/…/<name>-worker.ts` is built as `<name>-worker.mjs`, instead of from their sources.
 *
 * @example
 * useBundledWorkers(new URL('file:///…/node_modules/.cache/twitch-pipeline-cli/3f2a…/'));
 */
export function useBundledWorkers(folder: URL): void {
  bundleFolder = folder;
}

/**
 * Starts a worker thread that runs the TypeScript module `entry` (a URL, e.g. resolved against
 * the caller's `import.meta.url`) with `data` as its `workerData`, plus the `entry` itself.
 *
 * @example
 * const worker = startTypeScriptWorker(new URL('./extract-worker.ts', import.meta.url), { lakeDir });
 */
export function startTypeScriptWorker(entry: URL, data: object): Worker {
  const workerData = { ...data, entry: entry.href };
  if (bundleFolder) return new Worker(new URL(`${basename(entry.pathname, '.ts')}.mjs`, bundleFolder), { workerData });
  return new Worker(BOOTSTRAP, { workerData });
}
