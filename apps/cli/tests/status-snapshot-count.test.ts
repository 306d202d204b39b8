import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, runInProcess, temporaryDataDir } from './support/cli-process';

const FOLDER = join('lake', 'raw', 'streams', 'dt=2026-11-29');

describe("status's bronze freshness line", () => {
  let env: NodeJS.ProcessEnv;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await temporaryDataDir();
    env = cliEnv(dataDir);
    const run = await runCli(['run', '--at', '2026-11-29T12:00:00Z', '--channels', '200', '--json'], env);
    expect(run.code).toBe(0);
  });

  it('counts one snapshot in the singular', async () => {
    // act
    const result = await runInProcess(['status'], env);

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}bronze {5}latest snapshot 2026-11-29T12:00:00Z \(.+\), 1 snapshot$/m);
  });

  it('counts snapshots with thousands separators, as every count printed for people', async () => {
    // prepare: the snapshot copied under 1,000 earlier collection times of the same day, 30 s apart
    const source = join(dataDir, FOLDER, '20261129T120000Z.parquet');
    for (let copy = 0; copy < 1000; copy += 1) {
      const [hour, minute, second] = [Math.floor(copy / 120), Math.floor(copy / 2) % 60, (copy % 2) * 30].map((part) => String(part).padStart(2, '0'));
      await copyFile(source, join(dataDir, FOLDER, `20261129T${hour}${minute}${second}Z.parquet`));
    }

    // act
    const result = await runInProcess(['status'], env);

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}bronze {5}latest snapshot 2026-11-29T12:00:00Z \(.+\), 1,001 snapshots$/m);
  });
});
