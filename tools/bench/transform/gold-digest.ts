import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDbEngine, sqlFileList } from '@twitch-pipeline/duckdb';

async function parquetFilesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.parquet'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * One MD5 per gold file of a local lake, over every row in a fixed order with every value
 * printed in full, so two runs on the same bronze can be compared to the last bit.
 *
 * @example
 * const before = await goldDigests('/tmp/lake');
 */
export async function goldDigests(lakeDirectory: string): Promise<Record<string, string>> {
  const gold = join(lakeDirectory, 'gold');
  const files = await parquetFilesUnder(gold);
  const digests: Record<string, string> = {};
  const engine = await DuckDbEngine.open();
  try {
    for (const file of files) {
      // DuckDB prints a DOUBLE as the shortest text that reads back to the same bits, so a change in the last bit shows.
      const columns = await engine.all<{ name: string }>(
        `SELECT column_name AS name FROM (DESCRIBE SELECT * FROM read_parquet(${sqlFileList([file])}))`,
      );
      const values = columns
        .map(({ name }) => `coalesce(CAST("${name}" AS VARCHAR), '∅')`)
        .join(` || '|' || `);
      const [row] = await engine.all<{ digest: string; n: number }>(
        `SELECT md5(coalesce(string_agg(line, chr(10) ORDER BY line), '')) AS digest, count(*) AS n
           FROM (SELECT ${values} AS line FROM read_parquet(${sqlFileList([file])}))`,
      );
      digests[file.slice(gold.length + 1)] = `${row?.digest} (${row?.n} rows)`;
    }
  } finally {
    await engine.close();
  }
  return digests;
}

/**
 * One digest for the whole gold prefix of a lake (the MD5s of its files, in path order).
 *
 * @example
 * console.log(await goldDigest('/tmp/lake'));
 */
export async function goldDigest(lakeDirectory: string): Promise<string> {
  const digests = await goldDigests(lakeDirectory);
  const { createHash } = await import('node:crypto');
  return createHash('md5').update(JSON.stringify(digests)).digest('hex');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [lake] = process.argv.slice(2);
  if (!lake) throw new Error('usage: gold-digest.ts <lake-directory>');
  for (const [file, digest] of Object.entries(await goldDigests(lake))) console.log(`${digest}  ${file}`);
  console.log(`gold: ${await goldDigest(lake)}`);
}
