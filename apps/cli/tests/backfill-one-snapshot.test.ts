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
    expect(result.stderr).toMatch(/^backfill: 1 snapshot every 60 min from 2026-11-29T12:00:00\.000Z to 2026-11-29T12:00:00\.000Z, /m);
    expect(result.stderr).toMatch(/^snapshots: 1 snapshot, [\d,]+ bronze rows in /m);
    expect(result.stderr).toMatch(/^silver: 1 snapshot, [\d,]+ rows in /m);
  });

  it('says on its plan line that an --end between two slots was floored to the one before', async () => {
    // prepare: hourly slots, and an --end 45 minutes past one, which the last snapshot was quietly moved back from
    const env = cliEnv(await dataDirectory());

    // act
    const result = await runCli(['backfill', '--hours', '1', '--interval', '1h', '--end', '2026-11-29T12:45:00Z', '--channels', '200', '--realtime', 'none'], env);

    // assess
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^backfill: 1 snapshot every 60 min from 2026-11-29T12:00:00\.000Z to 2026-11-29T12:00:00\.000Z \(the slot at or before --end 2026-11-29T12:45:00\.000Z\), /m);
  });
});
