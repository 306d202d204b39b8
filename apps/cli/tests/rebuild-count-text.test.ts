import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, useTemporaryDataDirs } from './support/cli-process';

const temporaryDataDir = useTemporaryDataDirs();

const FOLDER = join('lake', 'raw', 'streams', 'dt=2026-11-29');

describe("rebuild's plan and silver lines", () => {
  it('count one bronze object in the singular', async () => {
    // prepare
    const env = cliEnv(await temporaryDataDir());
    expect((await runCli(['run', '--at', '2026-11-29T12:00:00Z', '--channels', '200', '--json'], env)).code).toBe(0);

    // act
    const result = await runCli(['rebuild'], env);

    // assess
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^silver: 1 bronze object, [\d,]+ rows in, /m);
  });

  it('count bronze objects with thousands separators, as every count printed for people', async () => {
    // prepare: the snapshot copied under 1,000 earlier collection times of its day, which silver sets aside as copies
    const dataDir = await temporaryDataDir();
    const env = cliEnv(dataDir);
    expect((await runCli(['run', '--at', '2026-11-29T12:00:00Z', '--channels', '200', '--json'], env)).code).toBe(0);
    const source = join(dataDir, FOLDER, '20261129T120000Z.parquet');
    for (let copy = 0; copy < 1000; copy += 1) {
      const [hour, minute, second] = [Math.floor(copy / 120), Math.floor(copy / 2) % 60, (copy % 2) * 30].map((part) => String(part).padStart(2, '0'));
      await copyFile(source, join(dataDir, FOLDER, `20261129T${hour}${minute}${second}Z.parquet`));
    }

    // act
    const result = await runCli(['rebuild', '--from', '2026-11-29', '--to', '2026-11-29'], env);

    // assess
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^rebuild: 1,001 bronze object\(s\) for 2026-11-29 to 2026-11-29\n/m);
    expect(result.stderr).toMatch(/^silver: 1,001 bronze objects, [\d,]+ rows in, /m);
  });
});
