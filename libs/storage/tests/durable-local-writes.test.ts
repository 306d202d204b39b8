import { appendFile, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { createFileDurably, LocalEventQueue, LocalObjectStore, LocalRealtimeTable, writeFileDurably } from '../src/index';
import { realtimeItem } from './realtime-items';

// A power loss cannot be simulated in a test process: the page cache survives as long as the
// kernel does, so a file written without fsync reads back whole here. What these tests can show
// is that every write takes the fsync path (file before its rename, directory after it), by
// counting the FileHandle.sync calls, and that the readers cope with what a crash leaves.

async function fileHandlePrototype(directory: string): Promise<{ sync: () => Promise<void> }> {
  const handle = await open(directory, 'r');
  await handle.close();
  return Object.getPrototypeOf(handle) as { sync: () => Promise<void> };
}

describe('durable local writes', () => {
  let directory: string;
  let sync: MockInstance<() => Promise<void>>;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'durable-'));
    sync = vi.spyOn(await fileHandlePrototype(directory), 'sync');
  });

  afterEach(async () => {
    sync.mockRestore();
    await rm(directory, { recursive: true, force: true });
  });

  it('flushes an object before its rename and its directory after it', async () => {
    // prepare
    const store = new LocalObjectStore(directory);
    await store.put('raw/streams/dt=2026-11-29/a.parquet', 'first');
    sync.mockClear();
    // act
    await store.put('raw/streams/dt=2026-11-29/b.parquet', 'second');
    const intoExisting = sync.mock.calls.length;
    sync.mockClear();
    await store.put('raw/streams/dt=2026-11-30/c.parquet', 'third');
    const intoNewDirectory = sync.mock.calls.length;
    // assess: file + directory; a new dt= folder also flushes its parent
    expect(intoExisting).toBe(2);
    expect(intoNewDirectory).toBe(3);
    expect(await readFile(store.pathOf('raw/streams/dt=2026-11-30/c.parquet'), 'utf8')).toBe('third');
  });

  it('does not publish an object whose flush failed', async () => {
    // prepare
    const store = new LocalObjectStore(directory);
    sync.mockRejectedValueOnce(Object.assign(new Error('I/O error'), { code: 'EIO' }));
    // act
    const attempt = store.put('silver/streams/dt=2026-11-29/a.parquet', 'bytes');
    // assess
    await expect(attempt).rejects.toThrow('I/O error');
    expect(await store.exists('silver/streams/dt=2026-11-29/a.parquet')).toBe(false);
    expect(await readdir(join(directory, 'silver/streams/dt=2026-11-29'))).toEqual([]);
  });

  it('flushes every message file of a send and the ready folder once', async () => {
    // prepare
    const queue = new LocalEventQueue(join(directory, 'queue'));
    await queue.sendBatch([{ id: '0', body: 'warm-up' }]);
    sync.mockClear();
    // act
    await queue.sendBatch([
      { id: '0', body: 'a' },
      { id: '1', body: 'b' },
      { id: '2', body: 'c' },
    ]);
    // assess
    expect(sync).toHaveBeenCalledTimes(4);
  });

  it('flushes a run-log style write and leaves no temporary behind', async () => {
    // prepare
    const target = join(directory, 'record.json');
    // act
    await writeFileDurably(target, '{"ok":true}\n', join(directory, '.tmp-record.json'));
    // assess
    expect(sync).toHaveBeenCalledTimes(2);
    expect(await readdir(directory)).toEqual(['record.json']);
  });

  it('creates a file at most once, flushed before its link and with its folder flushed after', async () => {
    // prepare
    const target = join(directory, 'lock.json');
    // act
    const first = await createFileDurably(target, '{"pid":1}', join(directory, '.a.tmp'));
    const syncsOfFirst = sync.mock.calls.length;
    const second = await createFileDurably(target, '{"pid":2}', join(directory, '.b.tmp'));
    // assess
    expect([first, second]).toEqual([true, false]);
    expect(syncsOfFirst).toBe(2);
    expect(await readFile(target, 'utf8')).toBe('{"pid":1}');
    expect(await readdir(directory)).toEqual(['lock.json']);
  });

  it('flushes each real-time append, and the folder when a segment is created', async () => {
    // prepare
    const table = new LocalRealtimeTable(join(directory, 'realtime'));
    sync.mockClear();
    // act
    await table.putItems([realtimeItem('gaules', '2026-11-29T21:30:00.000Z')]);
    const first = sync.mock.calls.length;
    await table.putItems([realtimeItem('gaules', '2026-11-29T22:00:00.000Z')]);
    // assess
    expect(first).toBe(2);
    expect(sync).toHaveBeenCalledTimes(3);
  });
});

describe('torn real-time segments', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'torn-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('skips a torn last line with a count, and reads a later append back whole', async () => {
    // prepare: a crash mid-append leaves half a JSON line and no newline in the writer's segment
    const table = new LocalRealtimeTable(directory);
    await table.putItems([realtimeItem('gaules', '2026-11-29T21:30:00.000Z')]);
    const segments = join(directory, 'segments');
    const [segment] = (await readdir(segments)).filter((name) => !name.includes('empty'));
    await appendFile(join(segments, segment!), '{"nome_streamer":"gaules","timestamp":"2026-11-29T22:');
    const beforeAppend = await new LocalRealtimeTable(directory).skippedLines();
    // act
    await table.putItems([realtimeItem('alanzoka', '2026-11-29T22:00:00.000Z', { espectadores: 7 })]);
    const reader = new LocalRealtimeTable(directory);
    const skipped = await reader.skippedLines();
    const appended = await reader.queryByStreamer('alanzoka');
    const earlier = await reader.queryByStreamer('gaules');
    const viewRows = await withEngine({}, (engine) => engine.all(`SELECT nome_streamer FROM ${reader.duckdbSource()} ORDER BY 1`));
    // assess
    expect(beforeAppend).toEqual({ tornLines: 0, unterminatedTails: 1, segments: [] });
    expect(skipped).toEqual({ tornLines: 1, unterminatedTails: 0, segments: [{ segment, count: 1, lines: [2] }] });
    expect(appended).toMatchObject([{ nome_streamer: 'alanzoka', espectadores: 7 }]);
    expect(earlier).toHaveLength(1);
    expect(viewRows).toEqual([{ nome_streamer: 'alanzoka' }, { nome_streamer: 'gaules' }]);
  });

  it('counts a damaged whole line in any segment and keeps the good ones', async () => {
    // prepare
    const segments = join(directory, 'segments');
    const table = new LocalRealtimeTable(directory);
    await writeFile(join(segments, '0000000000001-other-00000000.ndjson'), 'not json\n{"half":\n');
    // act
    await table.putItems([realtimeItem('gaules', '2026-11-29T21:30:00.000Z')]);
    const skipped = await table.skippedLines();
    const rows = await table.queryByStreamer('gaules');
    // assess
    expect(skipped).toEqual({ tornLines: 2, unterminatedTails: 0, segments: [{ segment: '0000000000001-other-00000000.ndjson', count: 2, lines: [1, 2] }] });
    expect(rows).toHaveLength(1);
  });
});
