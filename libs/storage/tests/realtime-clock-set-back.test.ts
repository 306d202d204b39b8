import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { realtimeItem } from './realtime-items';

// Each writer process keeps its versions increasing on its own; a fresh import of the module is
// a new process here, and Date.now a clock set back between the two.
async function tableOfANewProcess(directory: string) {
  vi.resetModules();
  const { LocalRealtimeTable } = await import('../src/realtime/local-realtime-table');
  return new LocalRealtimeTable(directory);
}

describe('LocalRealtimeTable after the clock was set back between two writers', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'realtime-clock-'));
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(directory, { recursive: true, force: true });
  });

  it('keeps the later write of a key, not the one made before the clock went back', async () => {
    // prepare: a first crawl's item, then the clock set back ten minutes (an NTP correction)
    const key = ['gaules', '2026-12-07T07:00:00.000Z'] as const;
    const first = await tableOfANewProcess(directory);
    await first.putItems([realtimeItem(...key, { espectadores: 100 })]);
    const setBack = Date.now() - 600_000;
    vi.spyOn(Date, 'now').mockImplementation(() => setBack);

    // act: the slot crawled again by a new process
    const second = await tableOfANewProcess(directory);
    await second.putItems([realtimeItem(...key, { espectadores: 250 })]);
    vi.restoreAllMocks();

    // assess
    const items = await (await tableOfANewProcess(directory)).queryByStreamer('gaules');
    expect(items.map((item) => item.espectadores)).toEqual([250]);
  });
});
