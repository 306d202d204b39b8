import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ANALYTICS_TABLES, GOLD_TABLES } from '@twitch-pipeline/schemas';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { runGold, runSilver } from '../src/index';
import { bronzeRow, readRows, writeBronzeSnapshot } from './support/transform-lake';

const TZ = 'America/Sao_Paulo';
const TIMES = ['2026-11-29T15:00:00Z', '2026-11-29T15:30:00Z', '2026-11-29T16:00:00Z'];
const bases: string[] = [];
afterEach(async () => {
  await Promise.all(bases.splice(0).map((base) => rm(base, { recursive: true, force: true })));
});

/** A lake whose snapshots hold the given channels, built through silver and gold. */
async function lakeAt(path: string, channels: readonly string[]): Promise<LocalObjectStore> {
  const store = new LocalObjectStore(path);
  for (const at of TIMES) {
    await writeBronzeSnapshot(
      store,
      at,
      channels.map((login, index) => bronzeRow({ collected_at: at, id: String(index + 1), user_login: login, viewer_count: 100 * (index + 1), started_at: '2026-11-29T14:00:00Z' })),
      TZ,
    );
  }
  const silver = await runSilver({ store, timeZone: TZ });
  const gold = await runGold({ store, dates: silver.dates });
  expect(gold.failed).toEqual([]);
  return store;
}

describe('gold of a lake whose folder name is a pattern that matches a folder beside it', () => {
  it('reads only its own silver objects: every gold table as in a lake of a plain name', async () => {
    // prepare: `lake*` beside `lake-old`, whose silver holds the same snapshots with more
    // channels. Not in the tests' own temporary folder: the `[a]` in its name makes the whole
    // pattern match nothing, and DuckDB then reads the path as written, which would hide the fault.
    const base = await mkdtemp(join(dirname(tmpdir()), 'pattern-gold-'));
    bases.push(base);
    await lakeAt(join(base, 'lake-old'), ['um', 'dois', 'tres']);
    const own = await lakeAt(join(base, 'lake*'), ['um']);
    const plain = await lakeAt(join(base, 'plain'), ['um']);

    // act
    const read = async (store: LocalObjectStore) =>
      Object.fromEntries(await Promise.all([...Object.keys(GOLD_TABLES), ...Object.keys(ANALYTICS_TABLES)].map(async (table) => [table, await readRows(store, `gold/${table}/`, 'ALL')])));
    const [ownGold, plainGold] = [await read(own), await read(plain)];

    // assess
    expect(ownGold).toEqual(plainGold);
  });
});
