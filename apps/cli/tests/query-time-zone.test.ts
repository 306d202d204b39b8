import { describe, expect, it } from 'vitest';
import { cliEnv, jsonOf, runCli, useTemporaryDataDirs } from './support/cli-process';

const temporaryDataDir = useTemporaryDataDirs();

/** Noon UTC on a summer day, when Los Angeles is at −07 rather than the −08 of a winter day. */
const SQL = "SELECT TIMESTAMPTZ '2026-07-01 12:00:00Z' AS t, [TIMESTAMPTZ '2026-07-01 12:00:00.5Z'] AS l";

describe('timestamps with a zone, printed on a machine in another zone', () => {
  it('are printed in UTC in the table, as the csv and json formats print them', async () => {
    // prepare
    const env = cliEnv(await temporaryDataDir(), { TZ: 'America/Los_Angeles' });

    // act
    const [table, csv, json] = await Promise.all([
      runCli(['query', SQL], env),
      runCli(['query', SQL, '--format', 'csv'], env),
      runCli(['query', SQL, '--format', 'json'], env),
    ]);

    // assess
    expect([table.code, table.stderr]).toEqual([0, '']);
    expect(table.stdout).toContain('│ 2026-07-01 12:00:00+00 │ ["2026-07-01 12:00:00.5+00"] │');
    expect(csv.stdout).toBe('t,l\n2026-07-01 12:00:00+00,"[""2026-07-01 12:00:00.5+00""]"\n');
    expect(jsonOf(json)).toEqual([{ t: '2026-07-01 12:00:00+00', l: ['2026-07-01 12:00:00.5+00'] }]);
  });
});
