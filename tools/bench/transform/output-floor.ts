import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqlString } from '@twitch-pipeline/duckdb';
import { runOnEnginePool } from '@twitch-pipeline/pipeline';

/** What rewriting a lake's transform outputs took. */
export interface OutputFloor {
  seconds: number;
  cpuSeconds: number;
  objects: number;
  megabytes: number;
}

/**
 * About the least the transforms' outputs cost to write, whatever computes them: every silver and gold
 * object of a local lake read and written again as it is (snappy Parquet, one `COPY` per object),
 * on single-threaded engines side by side, as the silver step runs its objects. The step's time
 * over this is what the models themselves cost; this over the bronze `COPY` is what the lake's
 * layout (one silver object per snapshot, eight gold tables) costs.
 *
 * @example
 * const floor = await rewriteOutputs('/tmp/lake');
 * console.log(floor.seconds);
 */
export async function rewriteOutputs(lakeDirectory: string): Promise<OutputFloor> {
  const files: string[] = [];
  for (const layer of ['silver', 'gold']) {
    const entries = await readdir(join(lakeDirectory, layer), { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of entries) if (entry.isFile() && entry.name.endsWith('.parquet')) files.push(join(entry.parentPath, entry.name));
  }
  const scratch = await mkdtemp(join(tmpdir(), 'bench-outputs-'));
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    const items = files.map((path, index) => ({ path, copy: join(scratch, `${index}.parquet`) }));
    const sizes = await runOnEnginePool({ memoryLimit: '2GB' }, items, async () => {}, async (engine, item) => {
      await engine.copyToParquet(`SELECT * FROM read_parquet(${sqlString(item.path)})`, undefined, item.copy);
      const { size } = await stat(item.copy);
      await rm(item.copy);
      return size;
    });
    const used = process.cpuUsage(cpu);
    return {
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: (used.user + used.system) / 1e6,
      objects: files.length,
      megabytes: sizes.reduce((sum, bytes) => sum + bytes, 0) / 1e6,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
