import { describe, expect, it } from 'vitest';
import { cliEnv, jsonOf, runCli, runInProcess, useTemporaryDataDirs } from './support/cli-process';

const temporaryDataDir = useTemporaryDataDirs();

describe('query --list', () => {
  it('writes each view’s row count with thousands separators, as every count printed for people', async () => {
    // prepare: one snapshot of 2,000 channels holds more than a thousand streams
    const env = cliEnv(await temporaryDataDir());
    const backfill = await runCli(['backfill', '--hours', '1', '--end', '2026-11-29T21:00:00Z', '--channels', '2000', '--realtime', 'none', '--json'], env);
    expect(backfill.code).toBe(0);
    const [counted] = jsonOf<{ n: number }[]>(await runInProcess(['query', 'SELECT count(*)::INTEGER AS n FROM bronze_streams', '--json'], env));
    const n = counted?.n ?? 0;
    expect(n).toBeGreaterThanOrEqual(1000);

    // act
    const result = await runInProcess(['query', '--list'], env);

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^ {2}bronze_streams +${n.toLocaleString('en-US')} {2}bronze: `, 'm'));
    expect(result.stdout).toMatch(/^ {2}alerts +0 {2}real-time alerts /m);
  });
});
