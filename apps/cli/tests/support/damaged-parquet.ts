import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';

/**
 * Writes one gold partition of `streamers_diario`-shaped rows (5,000 of them, over several
 * pages) to each path, making its folder.
 *
 * @example
 * await writeGoldPartitions([join(table, 'dt=2026-11-29', 'part-0.parquet')]);
 */
export async function writeGoldPartitions(paths: readonly string[]): Promise<void> {
  const rows = "SELECT 'canal-' || i || repeat('x', i % 50) AS nome_streamer, i::DOUBLE AS horas_assistidas FROM range(5000) t(i)";
  await withEngine({}, async (engine) => {
    for (const path of paths) {
      await mkdir(dirname(path), { recursive: true });
      await engine.copyToParquet(rows, undefined, path);
    }
  });
}

/**
 * Damages a Parquet file's pages and leaves its footer sound: `data` flips bytes between a
 * quarter and half of the file (a page that no longer decompresses), `header` bytes of the
 * first page's header (a Thrift error). Returns the bytes written.
 *
 * @example
 * const damaged = await damagePages(path, 'data');
 */
export async function damagePages(path: string, where: 'data' | 'header'): Promise<Buffer> {
  const bytes = await readFile(path);
  const [from, to, step] = where === 'data' ? [Math.floor(bytes.length / 4), bytes.length / 2, 13] : [4, 64, 3];
  for (let index = from; index < to; index += step) bytes[index]! ^= 0x5a;
  await writeFile(path, bytes);
  return bytes;
}
