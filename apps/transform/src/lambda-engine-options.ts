import { availableParallelism } from 'node:os';
import type { DuckDbEngineOptions } from '@twitch-pipeline/duckdb';
import { lambdaScratchFolder } from '@twitch-pipeline/pipeline';

/** Share of the function's memory DuckDB may use; the rest is Node, the AWS SDK and buffers. */
const DUCKDB_MEMORY_SHARE = 0.75;

/** Where a transform function's downloads, outputs and DuckDB spill files go: under `TMPDIR` (`/tmp` in Lambda). */
export const TRANSFORM_SCRATCH = 'transform';

/**
 * DuckDB settings for a Lambda function: a memory limit of 75 % of the function's memory
 * (`AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, in MB), spilling to `/tmp` (Lambda's only writable
 * disk), one engine per vCPU. Outside Lambda the engines' own default applies (60 % of the
 * memory the process may use).
 *
 * @example
 * lambdaEngineOptions({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '2048' }); // { memoryLimit: '1536MB', tempDirectory: '/tmp/transform', ... }
 */
export function lambdaEngineOptions(env: Record<string, string | undefined> = process.env): DuckDbEngineOptions {
  const memoryMb = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  const options: DuckDbEngineOptions = { tempDirectory: lambdaScratchFolder(TRANSFORM_SCRATCH, env), threads: availableParallelism() };
  if (Number.isFinite(memoryMb) && memoryMb > 0) options.memoryLimit = `${Math.floor(memoryMb * DUCKDB_MEMORY_SHARE)}MB`;
  return options;
}
