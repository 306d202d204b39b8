import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_PANELS } from '../src/dashboard/panels';
import { LakeSession } from '../src/lake/lake-session';
import { cliEnv, jsonOf, runCli, temporaryDataDir } from './support/cli-process';

type Rows = Record<string, unknown>[];

/** São Paulo's midnight of 2026-11-30: the last snapshot opens a day whose hours all belong to the day before. */
const LOCAL_MIDNIGHT = '2026-11-30T03:00Z';

let dataDir: string;
let env: NodeJS.ProcessEnv;

describe('rising lists when the newest snapshot falls on the pipeline time zone’s midnight', () => {
  beforeAll(async () => {
    dataDir = await temporaryDataDir();
    env = cliEnv(dataDir);
    // Four days every 3 hours (a grid that holds 03:00 UTC), so the day before has a 7-day baseline; no real-time table (no TTL to meet).
    jsonOf(
      await runCli(['backfill', '--hours', '96', '--interval', '3h', '--end', LOCAL_MIDNIGHT, '--realtime', 'none', '--channels', '300', '--json'], env),
    );
  });

  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('show the day before in the saved queries and the dashboard panels, not an empty list', async () => {
    // prepare
    const newestDay = jsonOf<Rows>(await runCli(['query', 'SELECT max(data) AS day, sum(horas_assistidas) AS hours FROM gold_tendencias_diario WHERE data = (SELECT max(data) FROM gold_tendencias_diario)', '--format', 'json'], env));
    const panels = DASHBOARD_PANELS.filter((panel) => panel.id.startsWith('rising-'));

    // act
    const saved = {
      categories: jsonOf<Rows>(await runCli(['query', '--saved', 'rising_categories', '--json'], env)),
      streamers: jsonOf<Rows>(await runCli(['query', '--saved', 'rising_streamers', '--json'], env)),
    };
    const session = await LakeSession.open(dataDir);
    const panelRows = await Promise.all(panels.map(async (panel) => (await session.query(panel.sql)).rows.length));
    await session.close();

    // assess
    expect(newestDay).toEqual([{ day: '2026-11-30', hours: 0 }]);
    for (const rows of [saved.categories, saved.streamers]) {
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((row) => String(row.data)))).toEqual(new Set(['2026-11-29']));
    }
    expect(panels).toHaveLength(2);
    for (const count of panelRows) expect(count).toBeGreaterThan(0);
  });
});
