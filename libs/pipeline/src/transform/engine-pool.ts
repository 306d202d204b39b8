import { availableParallelism } from 'node:os';
import { DuckDbEngine, type DuckDbEngineOptions, defaultMemoryLimit } from '@twitch-pipeline/duckdb';

const MEMORY = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;
const FACTORS: Record<string, number> = { kb: 1e-3, mb: 1, gb: 1e3, tb: 1e6, kib: 1.024e-3, mib: 1.048576, gib: 1073.741824, tib: 1099511.627776 };

/** Splits a DuckDB memory limit such as `'3GB'` into `parts` equal limits in MB. */
function splitMemoryLimit(limit: string, parts: number): string {
  const match = MEMORY.exec(limit.trim());
  if (!match) throw new Error(`memory limit "${limit}": expected a size such as 1536MB or 2GB`);
  return `${Math.max(64, Math.floor((Number(match[1]) * FACTORS[match[2]!.toLowerCase()]!) / parts))}MB`;
}

/**
 * Items an engine of the pool works before it is replaced by a fresh one. An engine holds on to
 * memory from item to item (about 100 KB an object of a small silver snapshot, freed only when it
 * closes): a year of snapshots rebuilt in one run grew past 1.9 GB. A fresh engine costs
 * milliseconds against seconds of work.
 */
const ITEMS_PER_ENGINE = 256;

/**
 * Runs `work` for every item on single-threaded DuckDB engines working side by side. Many
 * small objects (one Parquet row group each) are transformed fastest this way: each engine
 * keeps one core busy with its own object, where one multi-threaded engine would read one row
 * group at a time. `options.threads` (default: the machine's cores) sets how many engines; the
 * memory limit (by default that of one engine alone) is shared between them, and each engine is
 * replaced by a fresh one after {@link ITEMS_PER_ENGINE} items. Results come back in the order of `items`.
 *
 * @example
 * const results = await runOnEnginePool({ memoryLimit: '2GB' }, keys, installFeatureMacros, (engine, key) => work(engine, key));
 */
export async function runOnEnginePool<I, R>(
  options: DuckDbEngineOptions,
  items: readonly I[],
  setup: (engine: DuckDbEngine) => Promise<void>,
  work: (engine: DuckDbEngine, item: I) => Promise<R>,
): Promise<R[]> {
  const size = Math.max(1, Math.min(items.length, options.threads ?? availableParallelism()));
  const engineOptions: DuckDbEngineOptions = { ...options, threads: 1, memoryLimit: splitMemoryLimit(options.memoryLimit ?? defaultMemoryLimit(), size) };
  const engines: DuckDbEngine[] = [];
  try {
    for (let index = 0; index < size; index++) {
      const engine = await DuckDbEngine.open(engineOptions);
      engines.push(engine);
      await setup(engine);
    }
    const results: R[] = new Array(items.length);
    let next = 0;
    await Promise.all(
      engines.map(async (_, lane) => {
        for (let done = 0; next < items.length; done += 1) {
          if (done > 0 && done % ITEMS_PER_ENGINE === 0) {
            await engines[lane]!.close();
            engines[lane] = await DuckDbEngine.open(engineOptions);
            await setup(engines[lane]!);
          }
          const index = next++;
          results[index] = await work(engines[lane]!, items[index]!);
        }
      }),
    );
    return results;
  } finally {
    await Promise.all(engines.map((engine) => engine.close()));
  }
}
