import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalRealtimeTable } from '@twitch-pipeline/storage';
import { realtimeItem } from '@twitch-pipeline/storage/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dashboardData } from '../src/dashboard/page';
import { DASHBOARD_PANELS } from '../src/dashboard/panels';
import { LakeSession } from '../src/lake/lake-session';
import { temporaryDataDir } from './support/cli-process';

const HOUR_MS = 3_600_000;
const OPENED = Date.parse('2026-12-07T12:00:00.000Z');

/** The panels' SQL before they shared one read of the latest snapshot: what they must still show. */
const LIVE_NOW_OVER_THE_VIEW = `
  WITH latest AS (SELECT max("timestamp") AS at FROM realtime_events)
  SELECT nome_streamer AS channel, nome_categoria AS category, idioma AS language, espectadores AS viewers, titulo AS title
  FROM realtime_events, latest WHERE "timestamp" = latest.at ORDER BY espectadores DESC LIMIT 20`;
const REALTIME_FRESHNESS_OVER_THE_VIEW = `
  SELECT 'real time' AS label, strftime(max(CAST("timestamp" AS TIMESTAMP)), '%Y-%m-%d %H:%M UTC') AS value,
         format('{:,} channel keys', count(DISTINCT nome_streamer)) AS detail FROM realtime_events`;

const REALTIME_PANELS = DASHBOARD_PANELS.filter((panel) => ['freshness', 'live-now-chart', 'live-now'].includes(panel.id));

describe('the real-time panels of the dashboard', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await temporaryDataDir();
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('show the rows of the whole table from one read of the latest snapshot, whatever order its segments were written in', async () => {
    // prepare: the latest snapshot (12:30) in the middle segment, a backfill of old hours in the
    // newest one that also rewrites a 12:30 item (its version wins), and every segment recorded
    const directory = join(dataDir, 'realtime');
    await new LocalRealtimeTable(directory, () => OPENED).putItems([
      realtimeItem('alpha', '2026-12-07T11:30:00.000Z', { espectadores: 900 }),
      realtimeItem('beta', '2026-12-07T11:30:00.000Z'),
    ]);
    await new LocalRealtimeTable(directory, () => OPENED + HOUR_MS).putItems(
      Array.from({ length: 25 }, (_, index) => realtimeItem(`channel_${index}`, '2026-12-07T12:30:00.000Z', { espectadores: 10 * index + 1 })),
    );
    await new LocalRealtimeTable(directory, () => OPENED + 2 * HOUR_MS).putItems([
      realtimeItem('gamma', '2026-12-07T08:00:00.000Z', { espectadores: 5000 }),
      realtimeItem('channel_3', '2026-12-07T12:30:00.000Z', { espectadores: 777 }),
    ]);
    await new LocalRealtimeTable(directory).removeExpiredSegments();
    const newestReads = vi.spyOn(LakeSession.prototype, 'queryNewestRealtime');

    // act
    const { panels } = await dashboardData({ dataDir, timeZone: 'UTC', panels: REALTIME_PANELS, warn: () => {} });

    // assess: the rows the view gives, the rewrite's viewers first, and the snapshot read once
    const session = await LakeSession.open(dataDir, { warn: () => {} });
    try {
      const liveNow = (await session.query(LIVE_NOW_OVER_THE_VIEW)).rows;
      const freshness = (await session.query(REALTIME_FRESHNESS_OVER_THE_VIEW)).rows;
      const byId = new Map(panels.map((panel) => [panel.id, panel]));
      expect(panels.map((panel) => panel.error)).toEqual([undefined, undefined, undefined]);
      expect(byId.get('live-now')!.rows).toEqual(liveNow);
      expect(byId.get('live-now-chart')!.rows).toEqual(liveNow.slice(0, 15).map(([channel, , , viewers]) => [channel, viewers]));
      expect(byId.get('live-now')!.rows[0]).toEqual(['channel_3', 'Just Chatting', 'pt', 777, expect.any(String)]);
      expect(byId.get('freshness')!.rows.find(([label]) => label === 'real time')).toEqual(freshness[0]);
      expect(freshness[0]).toEqual(['real time', '2026-12-07 12:30 UTC', '28 channel keys']);
      expect(newestReads).toHaveBeenCalledTimes(1);
    } finally {
      await session.close();
    }
  });
});
