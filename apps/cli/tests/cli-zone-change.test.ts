import { cp, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, jsonOf, runCli, useTemporaryDataDirs } from './support/cli-process';

const temporaryDataDir = useTemporaryDataDirs();

/** 23:30 UTC: still 2026-11-30 in UTC, already 2026-12-01 in Tokyo. */
const AT = '2026-11-30T23:30:00Z';
const SNAPSHOT = '20261130T233000Z';
const RUN = ['run', '--at', AT, '--channels', '300', '--json'];
const EARLIER = `raw/streams/dt=2026-11-30/${SNAPSHOT}.parquet`;
const LATER = `raw/streams/dt=2026-12-01/${SNAPSHOT}.parquet`;
const GOLD_HOURS = ['query', 'SELECT data, round(sum(horas_assistidas), 6) AS horas FROM gold_streamers_diario GROUP BY data ORDER BY data', '--json'];

/** Every lake file of the snapshot, relative to the lake. */
async function filesOf(lake: string, snapshot: string): Promise<string[]> {
  const entries = await readdir(lake, { recursive: true });
  return entries.filter((entry) => entry.includes(snapshot)).sort();
}

describe('a slot collected again after the time zone changed', () => {
  it('keeps the later copy only, sets the earlier aside with the reason, and counts the slot once in gold', async () => {
    // prepare: the slot collected in UTC (dt=2026-11-30), and the same slot alone in Tokyo for reference
    const dataDir = await temporaryDataDir();
    const reference = await temporaryDataDir();
    expect(jsonOf<{ status: string }>(await runCli(RUN, cliEnv(dataDir, { PIPELINE_TIMEZONE: 'UTC' }))).status).toBe('ok');
    expect(jsonOf<{ status: string }>(await runCli(RUN, cliEnv(reference, { PIPELINE_TIMEZONE: 'Asia/Tokyo' }))).status).toBe('ok');

    // act: the same slot collected again in Tokyo (dt=2026-12-01)
    const again = jsonOf<{ status: string }>(await runCli(RUN, cliEnv(dataDir, { PIPELINE_TIMEZONE: 'Asia/Tokyo' })));
    const hours = jsonOf<{ data: string; horas: number }[]>(await runCli(GOLD_HOURS, cliEnv(dataDir)));
    const referenceHours = jsonOf<{ data: string; horas: number }[]>(await runCli(GOLD_HOURS, cliEnv(reference)));
    const files = await filesOf(join(dataDir, 'lake'), SNAPSHOT);

    // assess
    expect(again.status).toBe('ok');
    const live = files.filter((file) => !file.startsWith('quarantine/corrupt/') && !file.startsWith('pending/'));
    expect(live.filter((file) => !file.includes('/dt=2026-12-01/'))).toEqual([]);
    expect(files).toContain(`raw/streams/dt=2026-12-01/${SNAPSHOT}.parquet`);
    expect(files).not.toContain(`raw/streams/dt=2026-11-30/${SNAPSHOT}.parquet`);
    expect(files).not.toContain(`silver/streams/dt=2026-11-30/${SNAPSHOT}.parquet`);
    const reason = JSON.parse(await readFile(join(dataDir, 'lake', `quarantine/corrupt/raw/streams/dt=2026-11-30/${SNAPSHOT}.parquet.reason.json`), 'utf8')) as { reason: string };
    expect(reason.reason).toBe(`superseded by raw/streams/dt=2026-12-01/${SNAPSHOT}.parquet, a later collection of the same slot under another date (the time zone changed)`);
    expect(hours.filter((row) => row.horas > 0)).toEqual(referenceHours);
  });

  it('names the earlier copy set aside as superseded, not as unreadable, in the cycle and in rebuild', async () => {
    // prepare: the slot collected in UTC in three data directories, and in Tokyo alone in a fourth;
    // two get the Tokyo copy put beside the UTC one, for rebuild to meet
    const [cycled, rebuilt, rebuiltJson, tokyo] = await Promise.all([1, 2, 3, 4].map(() => temporaryDataDir()));
    expect(jsonOf<{ status: string }>(await runCli(RUN, cliEnv(cycled!, { PIPELINE_TIMEZONE: 'UTC' }))).status).toBe('ok');
    expect(jsonOf<{ status: string }>(await runCli(RUN, cliEnv(tokyo!, { PIPELINE_TIMEZONE: 'Asia/Tokyo' }))).status).toBe('ok');
    for (const dataDir of [rebuilt!, rebuiltJson!]) {
      await cp(cycled!, dataDir, { recursive: true });
      await mkdir(join(dataDir, 'lake/raw/streams/dt=2026-12-01'), { recursive: true });
      await cp(join(tokyo!, 'lake', LATER), join(dataDir, 'lake', LATER));
    }
    // act
    const cycle = await runCli(RUN.filter((arg) => arg !== '--json'), cliEnv(cycled!, { PIPELINE_TIMEZONE: 'Asia/Tokyo' }));
    const rebuild = await runCli(['rebuild'], cliEnv(rebuilt!));
    const json = jsonOf<{ corrupt: { key: string; reason: string; action: string; movedTo: string; supersededBy: string }[] }>(await runCli(['rebuild', '--json'], cliEnv(rebuiltJson!)));
    // assess
    const reason = `superseded by ${LATER}, a later collection of the same slot under another date (the time zone changed)`;
    expect(cycle.code).toBe(0);
    expect(cycle.stderr + cycle.stdout).toContain(`; superseded copy ${EARLIER} (${reason}) moved to quarantine/corrupt/${EARLIER}`);
    expect(cycle.stderr + cycle.stdout).not.toContain('; unreadable');
    expect(rebuild.code).toBe(0);
    expect(rebuild.stdout).toContain(`\n  set aside as unreadable: 0\n  set aside as superseded: 1\n    ${EARLIER} (${reason}) moved to quarantine/corrupt/${EARLIER}\n`);
    expect(json.corrupt).toEqual([{ key: EARLIER, reason, action: 'quarantined', movedTo: `quarantine/corrupt/${EARLIER}`, supersededBy: LATER }]);
  });
});
