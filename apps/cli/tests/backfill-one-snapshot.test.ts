import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, useTemporaryDataDirs } from './support/cli-process';

const dataDirectory = useTemporaryDataDirs();

describe('a backfill of one snapshot', () => {
  it('counts it in the singular on every line, as a cycle counts one date', async () => {
    // prepare: one hour at an hourly interval is one snapshot
    const env = cliEnv(await dataDirectory());

    // act
    const result = await runCli(['backfill', '--hours', '1', '--interval', '1h', '--end', '2026-11-29T12:00:00Z', '--channels', '200', '--realtime', 'none'], env);

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^backfill ok in .+: 1 snapshot, bronze /);
    expect(result.stderr).toMatch(/^backfill: 1 snapshot every 60 min from /m);
    expect(result.stderr).toMatch(/^snapshots: 1 snapshot, [\d,]+ bronze rows in /m);
    expect(result.stderr).toMatch(/^silver: 1 snapshot, [\d,]+ rows in /m);
  });
});
