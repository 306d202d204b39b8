import { readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDbEngineOptions } from '@twitch-pipeline/duckdb';
import type { Logger } from '@twitch-pipeline/observability';

/** Share of the function's memory DuckDB may use; the rest is Node, the AWS SDK and buffers. */
const DUCKDB_MEMORY_SHARE = 0.75;

/** Where a transform function's downloads, outputs and DuckDB spill files go: under `TMPDIR` (`/tmp` in Lambda). */
const scratchBaseOf = (env: Record<string, string | undefined>) => join(env.TMPDIR ?? tmpdir(), 'transform');

/**
 * DuckDB settings for a Lambda function: a memory limit of 75 % of the function's memory
 * (`AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, in MB), spilling to `/tmp` (Lambda's only writable
 * disk), one engine per vCPU. Outside Lambda no memory limit is set (DuckDB's default).
 *
 * @example
 * lambdaEngineOptions({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '2048' }); // { memoryLimit: '1536MB', tempDirectory: '/tmp/transform', ... }
 */
export function lambdaEngineOptions(env: Record<string, string | undefined> = process.env): DuckDbEngineOptions {
  const memoryMb = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  const options: DuckDbEngineOptions = { tempDirectory: scratchBaseOf(env), threads: availableParallelism() };
  if (Number.isFinite(memoryMb) && memoryMb > 0) options.memoryLimit = `${Math.floor(memoryMb * DUCKDB_MEMORY_SHARE)}MB`;
  return options;
}

/**
 * Removes what an earlier invocation left in the scratch folder, at a function's Init, and
 * returns how many entries it removed. An invocation that times out or crashes is cut off
 * before it cleans up, and Lambda's reset keeps `/tmp` for the next Init in the same execution
 * environment: without this, a timed-out gold run's downloads and spill files (gigabytes on a
 * full-platform day) would shrink the ephemeral storage of every later run there. At Init no
 * invocation of the environment is running yet, so everything in the folder is stale. Only in
 * Lambda (`LAMBDA_TASK_ROOT` set): elsewhere the temporary folder may be shared. Removing
 * anything is logged as a warning on `logger`: it means a run was cut off.
 *
 * @example
 * const removed = clearScratchLeftovers(process.env, logger); // 0 on a fresh environment
 */
export function clearScratchLeftovers(env: Record<string, string | undefined> = process.env, logger?: Logger): number {
  if (!env.LAMBDA_TASK_ROOT) return 0;
  const base = scratchBaseOf(env);
  let entries: string[];
  try {
    entries = readdirSync(base);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const entry of entries) {
    // A leftover that cannot be removed costs space, not correctness: it must not fail the Init.
    try {
      rmSync(join(base, entry), { recursive: true, force: true });
      removed += 1;
    } catch (error) {
      logger?.warn('could not remove scratch an earlier invocation left', { entry, error: (error as Error).message });
    }
  }
  if (removed > 0) logger?.warn('removed scratch an earlier invocation left (it timed out or crashed)', { entries: removed });
  return removed;
}
