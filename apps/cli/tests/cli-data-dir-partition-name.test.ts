import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, useTemporaryDataDirs } from './support/cli-process';

const temporaryDataDir = useTemporaryDataDirs();

describe('a data directory under a folder named like a Hive partition', () => {
  it.each(['dt=2026-12-01', 'env=prod'])('is refused under "%s", before any command reads or writes it', async (partition) => {
    // prepare: DuckDB reads `name=value` folders anywhere in a file's path as partition columns of the views
    const parent = join(await temporaryDataDir(), partition);
    await mkdir(parent);
    const dataDir = join(parent, 'data');

    // act
    const results = await Promise.all([['status'], ['query', 'SELECT 1']].map((args) => runCli(args, cliEnv(dataDir))));

    // assess
    expect(results.map((result) => [result.code, result.stdout])).toEqual([
      [2, ''],
      [2, ''],
    ]);
    for (const result of results) expect(result.stderr).toContain(`PIPELINE_DATA_DIR: is a path holding the folder "${partition}", which DuckDB reads as a Hive partition`);
    expect(existsSync(dataDir)).toBe(false);
  });

  it.each(['a=b=c', '=x'])('is taken under "%s", which DuckDB reads as a plain folder', async (folder) => {
    // prepare: a folder with more than one `=`, or with `=` first, adds no partition column
    const dataDir = join(await temporaryDataDir(), folder, 'data');
    await mkdir(dataDir, { recursive: true });

    // act
    const result = await runCli(['query', 'SELECT 1 AS n', '--format', 'csv'], cliEnv(dataDir));

    // assess
    expect([result.code, result.stdout, result.stderr]).toEqual([0, 'n\n1\n', '']);
  });
});
