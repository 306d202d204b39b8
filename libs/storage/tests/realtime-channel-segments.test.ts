import { appendFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDbEngine, withEngine } from '@twitch-pipeline/duckdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalRealtimeTable } from '../src/index';
import { ChannelFilter } from '../src/realtime/channel-filter';
import { realtimeItem } from './realtime-items';

const HOUR_MS = 3_600_000;
const OPENED = Date.parse('2026-12-07T12:00:00.000Z');

/** A channel's last sample over `source`, as `channel` reads it. */
const LAST_SAMPLE = (source: string) => `SELECT * FROM ${source} WHERE nome_streamer = $channel ORDER BY "timestamp" DESC LIMIT 1`;

/** The data segments a source reads: those it names, or every one when it reads them by glob. */
function segmentsRead(source: string, all: readonly string[]): string[] {
  return source.includes('*.ndjson') ? [...all] : all.filter((name) => source.includes(name));
}

describe("a channel's newest items, read from the segments that hold the channel", () => {
  let directory: string;
  let segments: string[];
  /** Every source the table gave, to be read (`newestIn`'s and the answer's): what was read. */
  let sources: string[];

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'realtime-channel-segments-'));
    sources = [];
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  /** The newest item of `channel` over a source, noting the source as read. */
  function newestIn(engine: DuckDbEngine, channel: string): (source: string) => Promise<number | undefined> {
    return async (source) => {
      sources.push(source);
      const [row] = await engine.all(`SELECT epoch_ms(max("timestamp")) AS at FROM ${source} WHERE nome_streamer = $channel`, { channel });
      return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
    };
  }

  /** The data segments read by every source given so far. */
  function read(): string[] {
    return [...new Set(sources.flatMap((source) => segmentsRead(source, segments)))].sort();
  }

  /**
   * Four hourly segments, each finished and recorded: "offline" streamed in the first two only
   * (a day ago, say), and was rewritten once in the second (a redelivery: its version wins);
   * "live" streams in every one; the others come and go.
   */
  async function tableWithAnOfflineChannel(): Promise<LocalRealtimeTable> {
    const hours = ['08', '09', '10', '11'];
    for (const [index, hour] of hours.entries()) {
      await new LocalRealtimeTable(directory, () => OPENED + index * HOUR_MS).putItems([
        realtimeItem('live', `2026-12-07T${hour}:30:00.000Z`, { espectadores: 10 + index }),
        realtimeItem(`passing_${index}`, `2026-12-07T${hour}:30:00.000Z`),
        ...(index < 2 ? [realtimeItem('offline', `2026-12-07T${hour}:30:00.000Z`, { espectadores: 20 + index })] : []),
        ...(index === 1 ? [realtimeItem('offline', '2026-12-07T09:30:00.000Z', { espectadores: 99 })] : []),
      ]);
    }
    const table = new LocalRealtimeTable(directory);
    await table.removeExpiredSegments();
    segments = (await readdir(join(directory, 'segments'))).filter((name) => !name.includes('empty')).sort();
    return table;
  }

  it('reads an offline channel from the newest segment that holds it, not from every one, with the rows of the whole table', async () => {
    // prepare
    const table = await tableWithAnOfflineChannel();
    await withEngine({}, async (engine) => {
      // act
      const source = await table.newestSource(newestIn(engine, 'offline'), { channel: 'offline' });
      sources.push(source);
      // assess: only the newest segment holding the channel is read, not the two after it
      expect(read()).toEqual(segments.slice(1, 2));
      const rows = await engine.all(LAST_SAMPLE(source), { channel: 'offline' });
      expect(rows).toEqual(await engine.all(LAST_SAMPLE(table.duckdbSource()), { channel: 'offline' }));
      expect(rows.map((row) => [row.timestamp, row.espectadores])).toEqual([[new Date('2026-12-07T09:30:00.000Z'), 99]]);
    });
  });

  it('reads no segment for a channel the table does not hold, and finds nothing, as the whole table does', async () => {
    // prepare
    const table = await tableWithAnOfflineChannel();
    await withEngine({}, async (engine) => {
      for (const channel of ['never_streamed', 'mistyped_lvie']) {
        sources = [];
        // act
        const source = await table.newestSource(newestIn(engine, channel), { channel });
        sources.push(source);
        // assess
        expect(read()).toEqual([]);
        expect(await engine.all(LAST_SAMPLE(source), { channel })).toEqual([]);
        expect(await engine.all(LAST_SAMPLE(table.duckdbSource()), { channel })).toEqual([]);
      }
    });
  });

  it('reads a live channel from the newest segment alone, as before', async () => {
    // prepare
    const table = await tableWithAnOfflineChannel();
    await withEngine({}, async (engine) => {
      // act
      const source = await table.newestSource(newestIn(engine, 'live'), { channel: 'live' });
      sources.push(source);
      // assess
      expect(read()).toEqual(segments.slice(3));
      expect((await engine.all(LAST_SAMPLE(source), { channel: 'live' }))[0]?.espectadores).toBe(13);
    });
  });

  it('reads a segment whose channels were not recorded or cannot be read, as it reads one not summarized yet', async () => {
    // prepare: the newest segment's filter removed (summarized before the channels were kept), the
    // third's damaged and a channel the filter never saw written into it by hand (no later than
    // the newest time recorded of it)
    const table = await tableWithAnOfflineChannel();
    const filters = join(directory, 'segment-channels');
    await rm(join(filters, `${segments[3]}.channels`));
    await writeFile(join(filters, `${segments[2]}.channels`), 'not a filter');
    const line = { ...realtimeItem('late', '2026-12-07T10:15:00.000Z', { espectadores: 7 }), _versao: Date.now() * 1000 };
    await appendFile(join(directory, 'segments', segments[2]!), `${JSON.stringify(line)}\n`);
    await withEngine({}, async (engine) => {
      // act
      const source = await table.newestSource(newestIn(engine, 'late'), { channel: 'late' });
      sources.push(source);
      // assess: found where the whole table finds it; the two segments with filters are not read
      expect(read()).toEqual(segments.slice(2));
      const rows = await engine.all(LAST_SAMPLE(source), { channel: 'late' });
      expect(rows).toEqual(await engine.all(LAST_SAMPLE(table.duckdbSource()), { channel: 'late' }));
      expect(rows[0]?.espectadores).toBe(7);
    });
  });

  it('records the channels of segments summarized before they were kept on the next housekeeping pass', async () => {
    // prepare: the expiries and newest times recorded, the channels not (a table before this change)
    await tableWithAnOfflineChannel();
    await rm(join(directory, 'segment-channels'), { recursive: true });
    // act
    await new LocalRealtimeTable(directory).removeExpiredSegments();
    // assess
    expect((await readdir(join(directory, 'segment-channels'))).sort()).toEqual(segments.map((segment) => `${segment}.channels`));
  });

  it('removes on the next housekeeping pass the temporary file a crash left while writing a filter', async () => {
    // prepare: a write cut off between its temporary file and the rename
    await tableWithAnOfflineChannel();
    const leftover = join(directory, 'segment-channels', `.tmp-${segments[0]}.channels-4242-0a1b2c3d`);
    await writeFile(leftover, 'RTCF');
    // act
    await new LocalRealtimeTable(directory).removeExpiredSegments();
    // assess
    expect((await readdir(join(directory, 'segment-channels'))).sort()).toEqual(segments.map((segment) => `${segment}.channels`));
  });

  it('reads a segment with a line whose channel is not text, for any channel asked for', async () => {
    // prepare: DuckDB may read a number as the name "42"; the filter cannot tell which names it holds
    await new LocalRealtimeTable(directory, () => OPENED).putItems([realtimeItem('alpha', '2026-12-07T10:00:00.000Z')]);
    const [segment] = (await readdir(join(directory, 'segments'))).filter((name) => !name.includes('empty'));
    await appendFile(join(directory, 'segments', segment!), `${JSON.stringify({ ...realtimeItem('x', '2026-12-07T10:00:00.000Z'), nome_streamer: 42, _versao: 1 })}\n`);
    const table = new LocalRealtimeTable(directory);
    await table.removeExpiredSegments();
    segments = [segment!];
    await withEngine({}, async (engine) => {
      // act
      const source = await table.newestSource(newestIn(engine, '42'), { channel: '42' });
      sources.push(source);
      // assess
      expect(read()).toEqual([segment]);
      expect(await engine.all(LAST_SAMPLE(source), { channel: '42' })).toEqual(await engine.all(LAST_SAMPLE(table.duckdbSource()), { channel: '42' }));
    });
  });
});

describe('ChannelFilter', () => {
  it('holds every channel it was made of, few others, and reads back from its bytes', () => {
    // prepare
    const held = new Set(Array.from({ length: 20_000 }, (_, index) => `channel_${index}`));
    // act
    const filter = ChannelFilter.fromBytes(ChannelFilter.of(held).toBytes())!;
    // assess: no channel held is ever missed; about 1 % of the others are taken for held
    expect([...held].every((channel) => filter.mayHold(channel))).toBe(true);
    const others = Array.from({ length: 20_000 }, (_, index) => `other_${index}`).filter((channel) => filter.mayHold(channel));
    expect(others.length).toBeLessThan(400);
    expect(ChannelFilter.of(held).toBytes().length).toBeLessThan(25_000);
  });

  it('is not read from bytes that are not a filter, and one of unknown channels holds any', () => {
    // act, assess
    expect(ChannelFilter.fromBytes(Buffer.from('not a filter'))).toBeUndefined();
    expect(ChannelFilter.fromBytes(ChannelFilter.of(new Set(['a'])).toBytes().subarray(0, 12))).toBeUndefined();
    expect(ChannelFilter.fromBytes(ChannelFilter.of(undefined).toBytes())?.mayHold('anyone')).toBe(true);
  });
});
