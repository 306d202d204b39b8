import { appendFile, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { columnNames, realtimeItemSchema } from '@twitch-pipeline/schemas';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalRealtimeTable } from '../src/index';
import { expectForwardReads, expectReadsAsOf } from './realtime-forward-reads';
import { realtimeItem } from './realtime-items';

async function viewRows(table: LocalRealtimeTable): Promise<Record<string, unknown>[]> {
  return withEngine({}, async (engine) => {
    await engine.run(`CREATE VIEW realtime_events AS SELECT * FROM ${table.duckdbSource()}`);
    return engine.all('SELECT * FROM realtime_events ORDER BY nome_streamer, "timestamp"');
  });
}

describe('LocalRealtimeTable', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'realtime-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('is queryable as an empty view before the first write', async () => {
    // prepare
    const table = new LocalRealtimeTable(directory);
    // act
    const rows = await viewRows(table);
    // assess
    expect(rows).toEqual([]);
  });

  it('yields exactly the columns of the real-time item schema, with typed timestamps', async () => {
    // prepare
    const table = new LocalRealtimeTable(directory);
    await table.putItems([realtimeItem('gaules', '2026-11-29T21:30:00.000Z')]);
    // act
    const [row] = await viewRows(table);
    // assess
    expect(Object.keys(row!)).toEqual(columnNames(realtimeItemSchema));
    expect(row!.timestamp).toEqual(new Date('2026-11-29T21:30:00.000Z'));
    expect(row!.titulo).toBe('ao vivo ✨ 日本語');
  });

  it('is queryable in a folder whose name holds glob characters, and reads no other folder', async () => {
    // prepare: a sibling folder that the unescaped glob `table [a]*?` would match instead
    const table = new LocalRealtimeTable(join(directory, 'table [a]*?'));
    const sibling = new LocalRealtimeTable(join(directory, 'table a xy'));
    await table.putItems([realtimeItem('gaules', '2026-11-29T21:30:00.000Z')]);
    await sibling.putItems([realtimeItem('alanzoka', '2026-11-29T21:30:00.000Z')]);
    // act
    const rows = await viewRows(table);
    // assess
    expect(rows.map((row) => row.nome_streamer)).toEqual(['gaules']);
  });

  it('keeps the latest write of each key, in the view and in queries, across writer processes', async () => {
    // prepare
    const firstWriter = new LocalRealtimeTable(directory);
    const secondWriter = new LocalRealtimeTable(directory);
    const item = realtimeItem('gaules', '2026-11-29T21:30:00.000Z', { espectadores: 1 });
    // act
    await firstWriter.putItems([item]);
    await secondWriter.putItems([{ ...item, espectadores: 2 }]);
    await firstWriter.putItems([{ ...item, espectadores: 3 }]);
    const rows = await viewRows(new LocalRealtimeTable(directory));
    const queried = await new LocalRealtimeTable(directory).queryByStreamer('gaules');
    // assess
    expect(rows.map((row) => row.espectadores)).toEqual([3]);
    expect(queried).toEqual([{ ...item, espectadores: 3 }]);
  });

  it('sees what other writers appended since its previous query', async () => {
    // prepare
    const reader = new LocalRealtimeTable(directory);
    const writer = new LocalRealtimeTable(directory);
    const item = realtimeItem('gaules', '2026-11-29T21:00:00.000Z', { espectadores: 1 });
    await writer.putItems([item]);
    const before = await reader.queryByStreamer('gaules');
    // act
    await writer.putItems([{ ...item, espectadores: 2 }, realtimeItem('gaules', '2026-11-29T21:30:00.000Z')]);
    const after = await reader.queryByStreamer('gaules');
    // assess
    expect(before.map((row) => row.espectadores)).toEqual([1]);
    expect(after.map((row) => [row.timestamp, row.espectadores])).toEqual([
      ['2026-11-29T21:30:00.000Z', 100],
      ['2026-11-29T21:00:00.000Z', 2],
    ]);
  });

  it('answers many lookups at once, each with its own line, from lines near and far apart in two segments', async () => {
    // prepare: two writers (one segment each); 4 kB fillers put runs of looked-up lines more
    // than 64 kB and, in all, more than 1 MB apart, so the reads are split into several spans
    const firstWriter = new LocalRealtimeTable(directory);
    const secondWriter = new LocalRealtimeTable(directory);
    const filler = (index: number) => realtimeItem(`filler_${index}`, '2026-11-29T21:00:00.000Z', { titulo: `${'é'.repeat(2000)} ${index}` });
    const wanted = Array.from({ length: 120 }, (_, index) =>
      realtimeItem(`canal_${index}`, '2026-11-29T21:30:00.000Z', { espectadores: index, titulo: `título ${'日'.repeat(index)}` }),
    );
    for (let batch = 0; batch < 12; batch += 1) {
      const writer = batch % 2 === 0 ? firstWriter : secondWriter;
      await writer.putItems(wanted.slice(batch * 10, batch * 10 + 10));
      for (let run = 0; run < 2; run += 1) {
        await writer.putItems(Array.from({ length: 20 }, (_, index) => filler(batch * 40 + run * 20 + index)));
      }
    }
    const reader = new LocalRealtimeTable(directory);
    const asked = wanted.map((_, index) => wanted[(index * 37) % wanted.length]!);

    // act: in an order that is not the lines' order
    const found = await Promise.all(asked.map((item) => reader.queryByStreamer(item.nome_streamer, { limit: 1 })));

    // assess
    expect(new Set((await readdir(join(directory, 'segments'))).filter((name) => !name.includes('empty'))).size).toBe(2);
    expect(found).toEqual(asked.map((item) => [item]));
  });

  it('reads a channel newest first, before an instant, without expired items', async () => {
    // prepare
    const table = new LocalRealtimeTable(directory);
    await table.putItems([
      realtimeItem('gaules', '2026-11-29T20:00:00.000Z'),
      realtimeItem('gaules', '2026-11-29T21:00:00.000Z'),
      realtimeItem('gaules', '2026-11-29T22:00:00.000Z'),
      realtimeItem('gaules', '2026-11-01T00:00:00.000Z', { expira_em: Math.floor(Date.now() / 1000) - 1 }),
      realtimeItem('gaulesx', '2026-11-29T23:00:00.000Z'),
    ]);
    // act
    const newest = await table.queryByStreamer('gaules', { limit: 2 });
    const previous = await table.queryByStreamer('gaules', { before: '2026-11-29T22:00:00.000Z', limit: 1 });
    const rows = await viewRows(table);
    // assess
    expect(newest.map((item) => item.timestamp)).toEqual(['2026-11-29T22:00:00.000Z', '2026-11-29T21:00:00.000Z']);
    expect(previous.map((item) => item.timestamp)).toEqual(['2026-11-29T21:00:00.000Z']);
    expect(rows).toHaveLength(4);
  });

  it('reads a channel oldest first after an instant, without expired items, and refuses both bounds', async () => {
    await expectForwardReads(new LocalRealtimeTable(directory), 'gaules');
  });

  it('finds, as of an earlier instant, the neighbours of a sample older than the time to live', async () => {
    await expectReadsAsOf(new LocalRealtimeTable(directory), 'antes');
  });

  it('skips a torn last line left by a writer killed mid-append', async () => {
    // prepare
    const table = new LocalRealtimeTable(directory);
    await table.putItems([realtimeItem('inteiro', '2026-11-29T21:30:00.000Z')]);
    const segment = (await readdir(join(directory, 'segments'))).find((name) => !name.includes('empty'))!;
    await appendFile(join(directory, 'segments', segment), '{"nome_streamer":"rasgado","timestamp":"2026-11-29T21:3');
    // act
    const rows = await viewRows(table);
    const torn = await table.queryByStreamer('rasgado');
    // assess
    expect(rows.map((row) => row.nome_streamer)).toEqual(['inteiro']);
    expect(torn).toEqual([]);
  });

  it('names the segment and line of a line damaged in its middle, counting lines across later appends', async () => {
    // prepare: three items, the second damaged on disk; then one more append read by a later refresh
    const table = new LocalRealtimeTable(directory);
    await table.putItems([realtimeItem('um', '2026-11-29T21:00:00.000Z'), realtimeItem('dois', '2026-11-29T21:00:00.000Z'), realtimeItem('tres', '2026-11-29T21:00:00.000Z')]);
    const segment = (await readdir(join(directory, 'segments'))).find((name) => !name.includes('empty'))!;
    const path = join(directory, 'segments', segment);
    const [first, second, third] = (await readFile(path, 'utf8')).split('\n');
    await writeFile(path, `${first}\n${second!.replace('"nome_streamer"', '"nome_str\u0000mer"').slice(0, -3)}\n${third}\n`);
    const before = await table.skippedLines();
    await table.putItems([realtimeItem('quatro', '2026-11-29T21:30:00.000Z')]);
    await appendFile(path, 'not json\n');
    // act
    const after = await table.skippedLines();
    const rows = await viewRows(table);
    // assess
    expect(before).toMatchObject({ tornLines: 1, segments: [{ segment, count: 1, lines: [2] }] });
    expect(after).toMatchObject({ tornLines: 2, segments: [{ segment, count: 2, lines: [2, 5] }] });
    expect(await table.queryByStreamer('quatro')).toHaveLength(1);
    expect(rows.map((row) => row.nome_streamer).sort()).toEqual(['quatro', 'tres', 'um']);
  });

  it('removes old segments whose items have all expired, and keeps the rest', async () => {
    // prepare
    const start = Date.now();
    let clock = start;
    const table = new LocalRealtimeTable(directory, () => clock);
    const nowSeconds = Math.floor(start / 1000);
    await table.putItems([realtimeItem('velho', '2026-11-01T00:00:00.000Z', { expira_em: nowSeconds + 60 })]);
    clock = start + 2 * 3600 * 1000;
    await table.putItems([realtimeItem('novo', '2026-11-29T00:00:00.000Z', { expira_em: nowSeconds + 10 * 3600 })]);
    clock = start + 3 * 3600 * 1000;
    const reader = new LocalRealtimeTable(directory, () => clock);
    // act
    const { removed, unchecked } = await reader.removeExpiredSegments();
    // assess
    expect(removed).toBe(1);
    expect(unchecked).toEqual([]);
    expect(await reader.queryByStreamer('novo')).toHaveLength(1);
  });

  it('reads a finished segment once for its latest expiry, and removes it from that alone once it has passed', async () => {
    // prepare: one segment finished two hours ago, whose items expire in ten hours
    const start = Date.now();
    let clock = start + 2 * 3600 * 1000;
    const nowSeconds = Math.floor(start / 1000);
    await new LocalRealtimeTable(directory, () => start).putItems([realtimeItem('canal', '2026-11-29T00:00:00.000Z', { expira_em: nowSeconds + 10 * 3600 })]);
    const collector = new LocalRealtimeTable(directory, () => clock);
    const { removed: keptAtFirst } = await collector.removeExpiredSegments();
    const remembered = JSON.parse(await readFile(join(directory, 'segment-expiries.json'), 'utf8')) as Record<string, number>;
    // a finished segment is never appended to again; this one is rewritten only to show that it is not read a second time
    const [segment] = Object.keys(remembered);
    await writeFile(join(directory, 'segments', segment!), `${JSON.stringify({ ...realtimeItem('canal', '2026-11-29T00:00:00.000Z', { expira_em: nowSeconds + 100 * 3600 }), _versao: 1 })}\n`);

    // act
    clock = start + 11 * 3600 * 1000;
    const { removed: removedLater } = await collector.removeExpiredSegments();

    // assess
    expect(keptAtFirst).toBe(0);
    expect(Object.values(remembered)).toEqual([nowSeconds + 10 * 3600]);
    expect(removedLater).toBe(1);
    expect((await readdir(join(directory, 'segments'))).filter((name) => !name.includes('empty'))).toEqual([]);
    expect(JSON.parse(await readFile(join(directory, 'segment-expiries.json'), 'utf8'))).toEqual({});
  });

  it('reads the segments again when the remembered expiries are unreadable', async () => {
    // prepare
    const start = Date.now();
    const nowSeconds = Math.floor(start / 1000);
    await new LocalRealtimeTable(directory, () => start).putItems([realtimeItem('velho', '2026-11-01T00:00:00.000Z', { expira_em: nowSeconds + 60 })]);
    await writeFile(join(directory, 'segment-expiries.json'), '{"torn');
    const collector = new LocalRealtimeTable(directory, () => start + 3 * 3600 * 1000);

    // act
    const { removed } = await collector.removeExpiredSegments();

    // assess
    expect(removed).toBe(1);
    expect(await viewRows(collector)).toEqual([]);
  });

  it('flushes the writes made while one is flushing together: one fsync for a batch of messages', async () => {
    // prepare: a consumer writes the ten messages of one receive side by side; every fsync of a
    // file is counted (on a disk where one takes 10 ms, ten in a row cost 100 ms a batch)
    const table = new LocalRealtimeTable(directory);
    await table.putItems([realtimeItem('primeiro', '2026-11-29T21:00:00.000Z')]);
    const probe = await open(join(directory, 'probe'), 'w');
    const fileHandle = Object.getPrototypeOf(probe) as { sync(): Promise<void> };
    await probe.close();
    const sync = vi.spyOn(fileHandle, 'sync');
    const channels = Array.from({ length: 10 }, (_, index) => `canal${index}`);

    // act
    const results = await Promise.all(channels.map((channel) => table.putItems([realtimeItem(channel, '2026-11-29T21:30:00.000Z')])));
    const flushes = sync.mock.calls.length;
    sync.mockRestore();

    // assess
    expect(results.map((result) => result.written)).toEqual(channels.map(() => 1));
    expect(flushes).toBe(1);
    expect((await viewRows(table)).map((row) => row.nome_streamer)).toEqual([...channels, 'primeiro']);
  });

  it('fails every write of a group whose flush failed, so none of their messages is acknowledged', async () => {
    // prepare
    const table = new LocalRealtimeTable(directory);
    const probe = await open(join(directory, 'probe'), 'w');
    const fileHandle = Object.getPrototypeOf(probe) as { sync(): Promise<void> };
    await probe.close();
    const sync = vi.spyOn(fileHandle, 'sync').mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));

    // act
    const attempts = await Promise.allSettled(['a', 'b', 'c'].map((channel) => table.putItems([realtimeItem(channel, '2026-11-29T21:30:00.000Z')])));
    const after = await table.putItems([realtimeItem('d', '2026-11-29T21:30:00.000Z')]);
    sync.mockRestore();

    // assess
    expect(attempts.map((attempt) => attempt.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(after.written).toBe(1);
  });

  it('rejects batches larger than one DynamoDB batch write', async () => {
    // prepare
    const table = new LocalRealtimeTable(directory);
    const items = Array.from({ length: 26 }, (_, index) => realtimeItem(`c${index}`, '2026-11-29T21:30:00.000Z'));
    // act
    const attempt = table.putItems(items);
    // assess
    await expect(attempt).rejects.toThrow(/at most 25/);
  });
});
