import environment from '../allocator-environment.json';

/**
 * The environment the product's processes start DuckDB with: how long DuckDB's allocator (the
 * jemalloc of its Linux builds) keeps memory a query freed before it returns it to the system.
 * DuckDB's own 5 s lets freed pages go while a step still needs as many again, and every page
 * given back is faulted in anew: on a full-platform day, 30 s made silver + gold 10-15 % faster
 * in one process for about 150 MB more peak RSS (see docs/benchmarks.md). jemalloc's background
 * thread returns the memory on time when the process idles (a `run --every` between cycles);
 * without it, decay only runs when the process allocates, and the memory stayed.
 *
 * jemalloc reads the variable once, when the library loads, so whatever starts the process sets
 * it: the command's launcher, the Lambda functions' configuration, the benchmarks. The JSON file
 * beside the package holds it for the launcher, which runs before any TypeScript loader.
 *
 * @example
 * spawn(process.execPath, [script], { env: { ...DUCKDB_ALLOCATOR_ENVIRONMENT, ...process.env } });
 */
export const DUCKDB_ALLOCATOR_ENVIRONMENT: Readonly<Record<string, string>> = environment;

/**
 * Sets the allocator environment in this process where the variable is not set already (an empty
 * value keeps DuckDB's own settings). Only a process that has not loaded DuckDB yet takes it.
 *
 * @example
 * applyAllocatorEnvironment(); // before the first import of @duckdb/node-api
 */
export function applyAllocatorEnvironment(): void {
  for (const [name, value] of Object.entries(DUCKDB_ALLOCATOR_ENVIRONMENT)) process.env[name] ??= value;
}
