import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cliEnv, jsonOf, runCli, temporaryDataDir } from './support/cli-process';

describe('run --at', () => {
  it('collects the slot its time falls in, as a scheduled cycle names it', async () => {
    // prepare
    const env = cliEnv(await temporaryDataDir());

    // act
    const cycle = jsonOf<{ status: string; snapshots: string[] }>(await runCli(['run', '--at', '2026-11-29T12:10:00Z', '--channels', '200', '--json'], env));

    // assess
    expect(cycle.status).toBe('ok');
    expect(cycle.snapshots).toEqual(['20261129T120000Z']);
  });

  it.each([
    [['run', '--at', '05/12/2026', '--channels', '200'], '--at must be an ISO-8601 time with its zone'],
    [['run', '--at', '2026-02-30T10:00:00Z', '--channels', '200'], '--at 2026-02-30T10:00:00Z is no time of the calendar: its day, hour, minute, second or zone offset is out of range'],
    [['alerts', '--since', '2026-11-29T24:00:00Z'], '--since 2026-11-29T24:00:00Z is no time of the calendar'],
    [['run', '--at', '2026-11-29T12:00', '--channels', '200'], '(got "2026-11-29T12:00")'],
    [['run', '--at', '2999-01-01T00:00:00Z', '--channels', '200'], '--at 2999-01-01T00:00:00.000Z is in the future'],
    [['backfill', '--hours', '1', '--end', '2999-01-01T00:00:00Z', '--channels', '200'], '--end 2999-01-01T00:00:00.000Z is in the future'],
    [['run', '--at', '0050-01-01T00:00:00Z', '--channels', '200'], '--at 0050-01-01T00:00:00.000Z is before 2000-01-01'],
    [['backfill', '--hours', '1', '--end', '1999-12-31T23:30:00Z', '--channels', '200'], '--end 1999-12-31T23:30:00.000Z is before 2000-01-01'],
    [['alerts', '--since', '1'], '--since must be an ISO-8601 time with its zone'],
    [['run', '--every', '25h', '--channels', '200'], '--every must be whole minutes from 1m to 24h'],
    [['backfill', '--hours', '1', '--interval', '25h', '--channels', '200'], '--interval must be whole minutes from 1m to 24h'],
    [['backfill', '--hours', '1', '--realtime', 'latests', '--channels', '200'], '--realtime must be one of all, latest, none (got "latests")'],
  ])('refuses %j with a usage error, collecting nothing', async (args, message) => {
    // prepare
    const dataDir = await temporaryDataDir();

    // act
    const result = await runCli(args, cliEnv(dataDir));

    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(await readdir(dataDir)).toEqual([]);
  });
});
