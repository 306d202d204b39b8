import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine, sqlFileList } from '@twitch-pipeline/duckdb';
import { runOnEnginePool } from '@twitch-pipeline/pipeline';

/** What copying a set of Parquet objects took. */
export interface CopyFloor {
  seconds: number;
  cpuSeconds: number;
  /** The part of cpuSeconds spent in the kernel. */
  systemSeconds: number;
  minorFaults: number;
  objects: number;
  megabytes: number;
}

/**
 * The Parquet objects of one layer of a local lake (`raw`, `silver`, `gold`), in a stable order.
 *
 * @example
 * const bronze = await layerObjects('/tmp/lake', 'raw');
 */
export async function layerObjects(lakeDirectory: string, layer: string): Promise<string[]> {
  const entries = await readdir(join(lakeDirectory, layer), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.parquet'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * About the least a step costs to read and write these objects, whatever it computes: each one
 * read and written again as it is (snappy Parquet, one `COPY` per object), on single-threaded
 * engines side by side, as the silver step runs its objects. For the bronze objects it is silver
 * with no model; for the silver and gold objects, the write floor of the steps' outputs (the
 * lake's layout: one silver object per snapshot, eight gold tables).
 *
 * @example
 * const floor = await copyObjects(await layerObjects('/tmp/lake', 'gold'));
 * console.log(floor.seconds);
 */
export async function copyObjects(files: readonly string[]): Promise<CopyFloor> {
  const scratch = await mkdtemp(join(tmpdir(), 'bench-outputs-'));
  const cpu = process.cpuUsage();
  const faults = process.resourceUsage().minorPageFault;
  const started = performance.now();
  try {
    const items = files.map((path, index) => ({ path, copy: join(scratch, `${index}.parquet`) }));
    const sizes = await runOnEnginePool({ memoryLimit: '2GB' }, items, async () => {}, async (engine, item) => {
      await engine.copyToParquet(`SELECT * FROM read_parquet(${sqlFileList([item.path])})`, undefined, item.copy);
      const { size } = await stat(item.copy);
      await rm(item.copy);
      return size;
    });
    const used = process.cpuUsage(cpu);
    return {
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: (used.user + used.system) / 1e6,
      systemSeconds: used.system / 1e6,
      minorFaults: process.resourceUsage().minorPageFault - faults,
      objects: files.length,
      megabytes: sizes.reduce((sum, bytes) => sum + bytes, 0) / 1e6,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The I/O floor of a step over these objects: all of them read once and written once, into one
 * snappy Parquet file, by one engine on every core. The file is removed afterwards.
 *
 * @example
 * const floor = await copyToOneFile(await layerObjects('/tmp/lake', 'raw'), '/tmp/floor.parquet');
 * console.log(floor.seconds, floor.minorFaults);
 */
export async function copyToOneFile(files: readonly string[], output: string, options: { reuseFreedBlocks?: boolean } = {}): Promise<CopyFloor> {
  const cpu = process.cpuUsage();
  const faults = process.resourceUsage().minorPageFault;
  const started = performance.now();
  const engine = await DuckDbEngine.open(options);
  try {
    await engine.copyToParquet(`SELECT * FROM read_parquet(${sqlFileList(files)})`, undefined, output);
  } finally {
    await engine.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const minorFaults = process.resourceUsage().minorPageFault - faults;
  const { size } = await stat(output);
  await rm(output);
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6, systemSeconds: used.system / 1e6, minorFaults, objects: files.length, megabytes: size / 1e6 };
}
