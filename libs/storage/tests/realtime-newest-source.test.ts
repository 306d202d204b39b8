import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDbEngine, withEngine } from '@twitch-pipeline/duckdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalRealtimeTable } from '../src/index';
import { realtimeItem } from './realtime-items';

const HOUR_MS = 3_600_000;
const OPENED = Date.parse('2026-12-07T12:00:00.000Z');

/** The rows of the latest snapshot, in a fixed order, over `source`. */
const LATEST_SNAPSHOT = (source: string) =>
  `WITH latest AS (SELECT max("timestamp") AS at FROM ${source}) ` +
  `SELECT s.* FROM ${source} s, latest WHERE s."timestamp" = latest.at ORDER BY nome_streamer`;

/** A channel's last sample over `source`. */
const LAST_SAMPLE = (source: string) => `SELECT * FROM ${source} WHERE nome_streamer = $channel ORDER BY "timestamp" DESC LIMIT 1`;

/** The collection time (epoch ms) of the newest item of `source`, of one channel when given. */
function newestIn(engine: DuckDbEngine, channel?: string): (source: string) => Promise<number | undefined> {
  return async (source) => {
    const where = channel === undefined ? '' : ` WHERE nome_streamer = '${channel}'`;
    const [row] = await engine.all(`SELECT epoch_ms(max("timestamp")) AS at FROM ${source}${where}`);
    return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
  };
}

/** The data segments a source names (none: it reads them all by glob). */
function segmentsNamed(source: string, all: readonly string[]): string[] {
  return all.filter((name) => source.includes(name));
}

describe('LocalRealtimeTable.newestSource', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'realtime-newest-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  /**
   * Segments written out of order: the newest snapshot sits in the oldest segment's successor,
   * a backfill writes old times into the newest segment, and a key rewritten later (a new
   * `_versao`) lives in a segment apart from its first version.
   */
  async function outOfOrderTable(): Promise<{ table: LocalRealtimeTable; segments: string[] }> {
    // 11:00 and 11:30 collected by a writer opened at 12:00.
    await new LocalRealtimeTable(directory, () => OPENED).putItems([
      realtimeItem('alpha', '2026-12-07T11:00:00.000Z'),
      realtimeItem('beta', '2026-12-07T11:30:00.000Z', { espectadores: 5 }),
    ]);
    // The latest snapshot, 12:30, by a writer opened at 13:00.
    await new LocalRealtimeTable(directory, () => OPENED + HOUR_MS).putItems([
      realtimeItem('alpha', '2026-12-07T12:30:00.000Z', { espectadores: 40 }),
      realtimeItem('beta', '2026-12-07T12:30:00.000Z', { espectadores: 50 }),
    ]);
    // A backfill opened last writes past hours, and rewrites beta's 12:30 item (it wins by version).
    await new LocalRealtimeTable(directory, () => OPENED + 2 * HOUR_MS).putItems([
      realtimeItem('alpha', '2026-12-07T08:00:00.000Z'),
      realtimeItem('gamma', '2026-12-07T09:00:00.000Z', { espectadores: 7 }),
      realtimeItem('beta', '2026-12-07T12:30:00.000Z', { espectadores: 51 }),
    ]);
    // A fresh instance has no segment of its own: every segment is finished and recorded.
    const table = new LocalRealtimeTable(directory);
    await table.removeExpiredSegments();
    const segments = (await readdir(join(directory, 'segments'))).filter((name) => !name.includes('empty')).sort();
    return { table, segments };
  }

  it('reads the latest snapshot from the segments that can hold it, with the rows of the whole table', async () => {
    // prepare
    const { table, segments } = await outOfOrderTable();
    await withEngine({}, async (engine) => {
      // act
      const source = await table.newestSource(newestIn(engine));
      const narrowed = await engine.all(LATEST_SNAPSHOT(source));
      // assess: the first segment (11:00 and 11:30 only) is not read; the rewrite is.
      expect(segmentsNamed(source, segments)).toEqual(segments.slice(1));
      expect(narrowed).toEqual(await engine.all(LATEST_SNAPSHOT(table.duckdbSource())));
      expect(narrowed.map((row) => [row.nome_streamer, row.espectadores])).toEqual([
        ['alpha', 40],
        ['beta', 51],
      ]);
    });
  });

  it('reads a segment a writer started while the question was asked, as the whole table then does', async () => {
    // prepare: a redelivery rewrites beta's 12:30 item into a segment of its own while the newest time is asked
    const { table } = await outOfOrderTable();
    await withEngine({}, async (engine) => {
      const asked = newestIn(engine);
      let rewritten = false;
      const newestThenRewrite = async (source: string) => {
        const found = await asked(source);
        if (!rewritten) {
          rewritten = true;
          await new LocalRealtimeTable(directory, () => OPENED + 3 * HOUR_MS).putItems([realtimeItem('beta', '2026-12-07T12:30:00.000Z', { espectadores: 52 })]);
        }
        return found;
      };
      // act
      const source = await table.newestSource(newestThenRewrite);
      const narrowed = await engine.all(LATEST_SNAPSHOT(source));
      // assess: the new segment is read, as the glob over every segment reads it
      expect(narrowed).toEqual(await engine.all(LATEST_SNAPSHOT(table.duckdbSource())));
      expect(narrowed.map((row) => [row.nome_streamer, row.espectadores])).toEqual([
        ['alpha', 40],
        ['beta', 52],
      ]);
    });
  });

  it("reads a channel's last sample as the whole table does, even one only a backfill wrote", async () => {
    // prepare
    const { table } = await outOfOrderTable();
    await withEngine({}, async (engine) => {
      for (const channel of ['alpha', 'beta', 'gamma', 'nobody']) {
        // act
        const source = await table.newestSource(newestIn(engine, channel));
        // assess
        expect(await engine.all(LAST_SAMPLE(source), { channel })).toEqual(await engine.all(LAST_SAMPLE(table.duckdbSource()), { channel }));
      }
    });
  });

  it('reads every segment while none has its newest time recorded', async () => {
    // prepare: nothing recorded yet (no housekeeping ran)
    await new LocalRealtimeTable(directory, () => OPENED).putItems([realtimeItem('alpha', '2026-12-07T11:00:00.000Z')]);
    const table = new LocalRealtimeTable(directory);
    await withEngine({}, async (engine) => {
      // act
      const source = await table.newestSource(newestIn(engine));
      // assess
      expect(source).toBe(table.duckdbSource());
    });
  });

  it('reads a segment whose newest time it cannot tell, even though others are recorded', async () => {
    // prepare: a finished, recorded segment, then one still written (not recorded) holding the newest item
    await new LocalRealtimeTable(directory, () => OPENED).putItems([realtimeItem('alpha', '2026-12-07T11:00:00.000Z')]);
    await new LocalRealtimeTable(directory).removeExpiredSegments();
    const writer = new LocalRealtimeTable(directory, () => OPENED - HOUR_MS);
    await writer.putItems([realtimeItem('alpha', '2026-12-07T12:30:00.000Z', { espectadores: 9 })]);
    await withEngine({}, async (engine) => {
      // act
      const source = await writer.newestSource(newestIn(engine, 'alpha'));
      // assess
      expect(await engine.all(LAST_SAMPLE(source), { channel: 'alpha' })).toEqual(await engine.all(LAST_SAMPLE(writer.duckdbSource()), { channel: 'alpha' }));
      expect((await engine.all(LAST_SAMPLE(source), { channel: 'alpha' }))[0]?.espectadores).toBe(9);
    });
  });

  it('counts the same channels and newest time over every version as over the latest ones', async () => {
    // prepare
    const { table } = await outOfOrderTable();
    await withEngine({}, async (engine) => {
      const figures = (source: string) => engine.all(`SELECT max("timestamp") AS newest, count(DISTINCT nome_streamer) AS channels FROM ${source}`);
      // act
      const everyVersion = await figures(table.duckdbSource({ everyVersion: true }));
      // assess
      expect(everyVersion).toEqual(await figures(table.duckdbSource()));
      expect(await engine.all(`SELECT count(*) AS n FROM ${table.duckdbSource({ everyVersion: true })}`)).toEqual([{ n: 7 }]);
    });
  });
});
