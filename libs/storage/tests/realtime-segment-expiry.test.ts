import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, } from 'vitest';
import { LocalRealtimeTable } from '../src/index';
import { realtimeItem } from './realtime-items';
import { bytesReadDuring } from './support/bytes-read';

const HOUR_MS = 3_600_000;

/** Data segments of the table, oldest first (their names start with the time they were opened). */
async function segmentsOf(directory: string): Promise<string[]> {
  const names = await readdir(join(directory, 'segments')).catch(() => []);
  return names.filter((name) => !name.includes('empty')).sort();
}

/** A pid no process has: one that just exited. */
async function goneProcessId(): Promise<number> {
  const gone = spawn(process.execPath, ['-e', '']);
  await new Promise((exited) => gone.on('exit', exited));
  return gone.pid!;
}

describe('the local real-time table as its segments expire', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'realtime-expiry-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('keeps what its channel index holds of the other segments when an expired one is removed, instead of reading them all again', async () => {
    // prepare: an old segment of expired items, then a newer one of 300 live items, indexed by a lookup
    const start = Date.now();
    let clock = start - 2 * HOUR_MS;
    const table = new LocalRealtimeTable(directory, () => clock);
    await table.putItems([realtimeItem('velho', '2026-11-29T00:00:00.000Z', { expira_em: Math.floor(start / 1000) - 60 })]);
    clock = start;
    const channels = Array.from({ length: 300 }, (_, index) => `canal${index}`);
    for (let first = 0; first < channels.length; first += 25) {
      await table.putItems(channels.slice(first, first + 25).map((channel) => realtimeItem(channel, '2026-11-29T20:00:00.000Z')));
    }
    expect(await table.queryByStreamer('canal7')).toHaveLength(1);
    const [, live] = await segmentsOf(directory);
    const liveBytes = (await stat(join(directory, 'segments', live!))).size;

    // act
    const { removed } = await table.removeExpiredSegments();
    let found: unknown[] = [];
    const bytesRead = await bytesReadDuring(async () => {
      found = await table.queryByStreamer('canal7');
    });

    // assess: one line read, not the 300 lines of the segment left
    expect(removed).toBe(1);
    expect(found).toHaveLength(1);
    expect(bytesRead).toBeLessThan(liveBytes / 10);
    expect(await table.queryByStreamer('velho', { asOf: '2026-11-29T00:00:00.000Z' })).toEqual([]);
  });

  it('reads its segments again when one holding live items is deleted by hand, so an older version of an item is found', async () => {
    // prepare: an item, then a later version of it in a newer segment, both live and indexed
    const start = Date.now();
    let clock = start - 2 * HOUR_MS;
    const table = new LocalRealtimeTable(directory, () => clock);
    await table.putItems([realtimeItem('canal', '2026-11-29T20:00:00.000Z', { espectadores: 100 })]);
    clock = start;
    await table.putItems([realtimeItem('canal', '2026-11-29T20:00:00.000Z', { espectadores: 250 })]);
    const [older, newer] = await segmentsOf(directory);
    const before = await table.queryByStreamer('canal');

    // act
    await rename(join(directory, 'segments', newer!), join(directory, `${newer}.set-aside`));
    const after = await table.queryByStreamer('canal');

    // assess
    expect(older).toBeDefined();
    expect(before.map((item) => item.espectadores)).toEqual([250]);
    expect(after.map((item) => item.espectadores)).toEqual([100]);
  });

  it("removes at a writer's end the segments it filled with items already expired, however recently it wrote them", async () => {
    // prepare: a backfill's writes of old collections, whose items are past their TTL, then its last segment
    const start = Date.now();
    let clock = start - 2 * HOUR_MS;
    const table = new LocalRealtimeTable(directory, () => clock);
    await table.putItems([realtimeItem('antigo', '2026-11-01T00:00:00.000Z', { expira_em: Math.floor(start / 1000) - 3600 })]);
    clock = start;
    await table.putItems([realtimeItem('recente', '2026-11-29T20:00:00.000Z')]);
    const written = await segmentsOf(directory);

    // act
    const { removed, unchecked } = await table.removeExpiredSegments();

    // assess: both files were written within the last second
    expect(written).toHaveLength(2);
    expect(removed).toBe(1);
    expect(unchecked).toEqual([]);
    expect(await segmentsOf(directory)).toEqual([written[1]]);
  });

  it('removes the expired segments of a writer that is gone, and leaves a live writer its segment touched within the hour', async () => {
    // prepare: the same expired items in a segment of a process that exited and in one of a live process
    const expired = realtimeItem('antigo', '2026-11-01T00:00:00.000Z', { expira_em: Math.floor(Date.now() / 1000) - 3600 });
    const renamedTo = async (pid: number): Promise<string> => {
      const before = await segmentsOf(directory);
      await new LocalRealtimeTable(directory).putItems([expired]);
      const [made] = (await segmentsOf(directory)).filter((name) => !before.includes(name));
      const name = made!.replace(`-${process.pid}-`, `-${pid}-`);
      await rename(join(directory, 'segments', made!), join(directory, 'segments', name));
      return name;
    };
    await renamedTo(await goneProcessId());
    const living = await renamedTo(process.ppid);

    // act
    const { removed } = await new LocalRealtimeTable(directory).removeExpiredSegments();

    // assess
    expect(removed).toBe(1);
    expect(await segmentsOf(directory)).toEqual([living]);
  });
});
