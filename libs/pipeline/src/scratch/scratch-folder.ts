import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@twitch-pipeline/observability';

/**
 * The folder a function's step keeps its scratch in (downloads, outputs, DuckDB spill files):
 * `<TMPDIR>/<purpose>`, which is `/tmp/<purpose>` in Lambda. One folder per function, so a sweep
 * at Init removes only what that function left.
 *
 * @example
 * lambdaScratchFolder('extract', process.env); // '/tmp/extract' in Lambda
 */
export function lambdaScratchFolder(purpose: string, env: Record<string, string | undefined> = process.env): string {
  return join(env.TMPDIR ?? tmpdir(), purpose);
}

/**
 * Removes what an earlier invocation left in `folder`, at a function's Init, and returns how many
 * entries it removed. An invocation that times out or crashes is cut off before it cleans up, and
 * Lambda's reset keeps `/tmp` for the next Init in the same execution environment: without this,
 * a timed-out gold run's downloads and spill files (gigabytes on a full-platform day), or an
 * extract's snapshot (megabytes each time), would shrink the ephemeral storage of every later run
 * there. At Init no invocation of the environment is running yet, so everything in the folder is
 * stale. Only in Lambda (`LAMBDA_TASK_ROOT` set): elsewhere the temporary folder may be shared.
 * Removing anything is logged as a warning on `logger`: it means a run was cut off.
 *
 * @example
 * const removed = clearScratchLeftovers(lambdaScratchFolder('gold'), process.env, logger); // 0 on a fresh environment
 */
export function clearScratchLeftovers(folder: string, env: Record<string, string | undefined> = process.env, logger?: Logger): number {
  if (!env.LAMBDA_TASK_ROOT) return 0;
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const entry of entries) {
    // A leftover that cannot be removed costs space, not correctness: it must not fail the Init.
    try {
      rmSync(join(folder, entry), { recursive: true, force: true });
      removed += 1;
    } catch (error) {
      logger?.warn('could not remove scratch an earlier invocation left', { entry, error: (error as Error).message });
    }
  }
  if (removed > 0) logger?.warn('removed scratch an earlier invocation left (it timed out or crashed)', { entries: removed });
  return removed;
}
