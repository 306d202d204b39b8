import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalRealtimeTable } from '../src/index';
import { summarizeSegment } from '../src/realtime/segment-summary';
import { realtimeItem } from './realtime-items';

const HOUR_MS = 3_600_000;
const OPENED = Date.parse('2026-12-07T12:00:00.000Z');

/** A channel's last sample over `source`, as `channel` reads it. */
const LAST_SAMPLE = (source: string) => `SELECT nome_streamer, "timestamp", espectadores FROM ${source} WHERE nome_streamer = $channel ORDER BY "timestamp" DESC LIMIT 1`;

/** A stored line of `channel`, as the writer writes it, for a test to damage. */
function storedLine(channel: string, timestamp: string): string {
  return JSON.stringify({ ...realtimeItem(channel, timestamp, { espectadores: 7 }), _versao: Date.now() * 1000 });
}

// DuckDB's JSON reader takes some lines JSON.parse refuses (a trailing comma, NaN) and reads the
// first of two equal keys where JSON.parse keeps the last: such a line is a row of the table, so
// the segment's channel filter must not leave its channel out.
describe('the channel filter of a segment with a line DuckDB reads otherwise than JSON.parse', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'realtime-channel-filter-lenient-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const damaged: [string, (channel: string) => string][] = [
    ['a trailing comma', (channel) => storedLine(channel, '2026-12-07T08:15:00.000Z').replace(/}$/, ',}')],
    ['NaN for a number', (channel) => storedLine(channel, '2026-12-07T08:15:00.000Z').replace('"espectadores":7', '"espectadores":NaN')],
    ['the channel named twice', (channel) => storedLine('someone_else', '2026-12-07T08:15:00.000Z').replace('{', `{"nome_streamer":${JSON.stringify(channel)},`)],
  ];

  for (const [what, lineOf] of damaged) {
    it(`finds a channel whose only line has ${what}, as a read of the whole table does`, async () => {
      // prepare: two finished segments, the older one holding the damaged line, then recorded
      for (const [index, hour] of ['08', '09'].entries()) {
        await new LocalRealtimeTable(directory, () => OPENED + index * HOUR_MS).putItems([realtimeItem(`passing_${index}`, `2026-12-07T${hour}:30:00.000Z`)]);
      }
      const [older] = (await readdir(join(directory, 'segments'))).filter((name) => !name.includes('empty')).sort();
      await appendFile(join(directory, 'segments', older!), `${lineOf('damaged')}\n`);
      const table = new LocalRealtimeTable(directory);
      await table.removeExpiredSegments();
      await withEngine({}, async (engine) => {
        const whole = await engine.all(LAST_SAMPLE(table.duckdbSource()), { channel: 'damaged' });
        // act
        const source = await table.newestSource(async (candidates) => {
          const [row] = await engine.all(`SELECT epoch_ms(max("timestamp")) AS at FROM ${candidates} WHERE nome_streamer = $channel`, { channel: 'damaged' });
          return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
        }, { channel: 'damaged' });
        // assess: the row DuckDB reads from the whole table is found from the segments chosen
        expect(whole).toHaveLength(1);
        expect(await engine.all(LAST_SAMPLE(source), { channel: 'damaged' })).toEqual(whole);
      });
    });
  }

  it('still names the channels of a segment whose last line was torn by a crash', () => {
    // prepare: a whole line, then one cut before its closing brace
    const text = `${storedLine('whole', '2026-12-07T08:15:00.000Z')}\n${storedLine('torn', '2026-12-07T08:16:00.000Z').slice(0, -20)}`;
    // act
    const { channels, newest } = summarizeSegment(text);
    // assess
    expect(channels).toEqual(new Set(['whole']));
    expect(newest).toBe(Date.parse('2026-12-07T08:15:00.000Z'));
  });
});
