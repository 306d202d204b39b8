import { describe, expect, it } from 'vitest';
import { cliEnv, jsonOf, runCli, useTemporaryDataDirs } from './support/cli-process';

const dataDirectory = useTemporaryDataDirs();

/** A count as the summary lines print it: thousands separated by commas. */
const GROUPED = String.raw`\d{1,3}(?:,\d{3})+`;

interface RunJson {
  rows: { bronze: number; silver: number };
}

describe('the summary lines of run and backfill', () => {
  it('print counts of a thousand or more with thousands separators, and --json keeps them numbers', async () => {
    // prepare: 4,000 channels platform-wide give each snapshot of the languages collected more than a thousand rows
    const env = cliEnv(await dataDirectory());
    const backfill = ['backfill', '--hours', '1', '--end', '2026-11-29T12:00:00Z', '--channels', '4000', '--realtime', 'none'];

    // act
    const backfilled = await runCli(backfill, env);
    const cycle = await runCli(['run', '--channels', '4000', '--at', '2026-11-29T12:30:00Z'], env);
    const cycleJson = await runCli(['run', '--channels', '4000', '--at', '2026-11-29T13:00:00Z', '--json'], env);

    // assess
    expect([backfilled.code, cycle.code, cycleJson.code]).toEqual([0, 0, 0]);
    expect(backfilled.stdout).toMatch(new RegExp(`^backfill ok in .+: \\d+ snapshots, bronze ${GROUPED}, silver ${GROUPED}, quarantined \\d+, published \\d+, consumed \\d+\\n$`));
    expect(cycle.stdout).toMatch(new RegExp(`^cycle 20261129T123000Z ok in .+: bronze ${GROUPED}, quarantined \\d+, silver ${GROUPED}, gold ${GROUPED}, published ${GROUPED}, consumed ${GROUPED}\\n$`));
    const record = jsonOf<RunJson>(cycleJson);
    expect(record.rows.bronze).toBeGreaterThan(1000);
    expect(cycleJson.stdout).not.toMatch(/\d,\d{3}/);
  });
});
