import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../src/index';

const ROWS = 2_000_000;

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'duckdb-spill-test-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function spillAndSum(engine: DuckDbEngine) {
  await engine.run(`CREATE TEMP TABLE wide AS SELECT range AS x, md5(CAST(range AS VARCHAR)) AS s FROM range(${ROWS})`);
  const [spilled] = await engine.all<{ bytes: number }>('SELECT CAST(coalesce(sum(size), 0) AS BIGINT) AS bytes FROM duckdb_temporary_files()');
  const [sums] = await engine.all<{ n: number; total: number; distinct: number; chars: number }>(
    'SELECT count(*) AS n, sum(x) AS total, count(DISTINCT s) AS distinct, sum(length(s)) AS chars FROM wide',
  );
  return { spilled: spilled!.bytes, ...sums! };
}

describe('DuckDbEngine spill folders', () => {
  it('gives every engine its own spill folder inside the one configured, and removes it on close', async () => {
    // prepare
    const first = await DuckDbEngine.open({ tempDirectory: directory });
    const second = await DuckDbEngine.open({ tempDirectory: directory });

    // act
    const settings = await Promise.all(
      [first, second].map(async (engine) => (await engine.all<{ path: string }>("SELECT current_setting('temp_directory') AS path"))[0]!.path),
    );
    await first.close();
    await second.close();

    // assess
    expect(new Set(settings).size).toBe(2);
    for (const path of settings) expect(path.startsWith(`${directory}/duckdb-spill-`)).toBe(true);
    expect(await readdir(directory)).toEqual([]);
  });

  it('lets two engines that share a temp folder spill at the same time and still count exactly', async () => {
    // prepare: 64 MB each, below the ~100 MB table each one builds
    const engines = [
      await DuckDbEngine.open({ tempDirectory: directory, memoryLimit: '64MB', threads: 1 }),
      await DuckDbEngine.open({ tempDirectory: directory, memoryLimit: '64MB', threads: 1 }),
    ];

    // act
    const results = await Promise.all(engines.map((engine) => spillAndSum(engine))).finally(() =>
      Promise.all(engines.map((engine) => engine.close())),
    );

    // assess
    for (const result of results) {
      expect(result.spilled).toBeGreaterThan(0);
      expect(result).toMatchObject({ n: ROWS, total: (ROWS * (ROWS - 1)) / 2, distinct: ROWS, chars: ROWS * 32 });
    }
  }, 60_000);
});
