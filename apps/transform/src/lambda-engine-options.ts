import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDbEngineOptions } from '@twitch-pipeline/duckdb';

/** Share of the function's memory DuckDB may use; the rest is Node, the AWS SDK and buffers. */
const DUCKDB_MEMORY_SHARE = 0.75;

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
  const options: DuckDbEngineOptions = { tempDirectory: join(tmpdir(), 'transform'), threads: availableParallelism() };
  if (Number.isFinite(memoryMb) && memoryMb > 0) options.memoryLimit = `${Math.floor(memoryMb * DUCKDB_MEMORY_SHARE)}MB`;
  return options;
}
