import { rm, truncate } from 'node:fs/promises';
import { bronzeKey, goldPendingKey, LAKE_PREFIXES, silverKey } from '@twitch-pipeline/schemas';
import type { ObjectStore } from '@twitch-pipeline/storage';
import { describe, expect, it } from 'vitest';
import { runGold, runSilver } from '../src/index';
import { markGoldPending } from '../src/transform/gold-pending';
import { bronzeRow, readRows, rewriteAsEarlierVersion, storeLandingBeforeSettle, storeWith, useTestLake, writeBronzeSnapshot } from './support/transform-lake';

const TZ = 'America/Sao_Paulo';
const lake = useTestLake();

// Around midnight in São Paulo (UTC-3), every 30 minutes, one broadcast crossing it: the 29th's
// first snapshot is the 28th's neighbour (it closes the 28th's last segment).
const A = '2026-11-28T22:00:00Z'; // 19:00 on the 28th
const B = '2026-11-29T02:30:00Z'; // 23:30, the 28th's last
const C = '2026-11-29T03:00:00Z'; // 00:00, the 29th's first
const D = '2026-11-29T03:30:00Z'; // 00:30
const dtOf = (at: string) => (at < '2026-11-29T03:00:00Z' ? '2026-11-28' : '2026-11-29');
const idOf = (at: string) => at.replace(/[-:]/g, '');
const C_SILVER = silverKey('2026-11-29', idOf(C));
const C_MARKER = goldPendingKey('2026-11-29', idOf(C));

async function writeSnapshots(snapshots: readonly string[], viewersAt: (at: string) => number = () => 100): Promise<void> {
  for (const at of snapshots) {
    await writeBronzeSnapshot(lake.store, at, [bronzeRow({ collected_at: at, viewer_count: viewersAt(at), started_at: '2026-11-28T21:30:00Z' })], TZ);
  }
}

async function markers(): Promise<string[]> {
  return (await lake.store.list(LAKE_PREFIXES.goldPending)).map((object) => object.key);
}

const goldOf28th = () => readRows(lake.store, `${LAKE_PREFIXES.gold}streamers_diario/dt=2026-11-28/`, 'nome_streamer');

/** The store, with `bytes` landing under the 29th's first silver key once gold has published the 28th (as a concurrent silver run's object would). */
function landingAfterThe28th(bytes: Uint8Array): ObjectStore {
  let published28th = false;
  let landed = false;
  return storeWith(lake.store, {
    putFile: async (key, path) => {
      await lake.store.putFile(key, path);
      if (key.startsWith(LAKE_PREFIXES.gold) && key.includes('/dt=2026-11-28/')) published28th = true;
    },
    list: async (prefix) => {
      if (published28th && !landed && prefix === `${LAKE_PREFIXES.silver}dt=2026-11-29/`) {
        landed = true;
        await lake.store.put(C_SILVER, bytes);
      }
      return lake.store.list(prefix);
    },
  });
}

describe('gold removes a marker only once every date its object changes read it', () => {
  it('keeps the marker of a first-of-date object rewritten after the day before was built from its old version', async () => {
    // prepare: all built; then a silver run rewrites the 29th's first snapshot: its marker is written, its new object not yet
    await writeSnapshots([A, B, C, D]);
    await runSilver({ store: lake.store, timeZone: TZ });
    await runGold({ store: lake.store, dates: [], includePending: true });
    const before = await lake.store.get(C_SILVER);
    await writeSnapshots([C], () => 5000);
    await runSilver({ store: lake.store, timeZone: TZ, bronzeKeys: [bronzeKey('2026-11-29', idOf(C))] });
    const rewritten = await lake.store.get(C_SILVER);
    await lake.store.put(C_SILVER, before);

    // act
    const gold = await runGold({ store: landingAfterThe28th(rewritten), dates: [], includePending: true });
    const left = await markers();
    const next = await runGold({ store: lake.store, dates: [], includePending: true });
    const fresh = await goldOf28th();
    await runGold({ store: lake.store, dates: ['2026-11-28', '2026-11-29'] });

    // assess: the 28th was built from the old object, so the marker brings it back; the 29th
    // read the new one, which the marker records, so the next run rebuilds the 28th alone
    expect(gold.dates).toEqual(['2026-11-28', '2026-11-29']);
    expect(left).toEqual([C_MARKER]);
    expect(next.dates).toEqual(['2026-11-28']);
    expect(await markers()).toEqual([]);
    expect(fresh).toEqual(await goldOf28th());
  });

  it('keeps the marker of a new first-of-date object that landed after the day before was built', async () => {
    // prepare: the 29th's first snapshot is marked and still being published when gold starts
    await writeSnapshots([A, B, C, D], (at) => (at === C ? 5000 : 100));
    await runSilver({ store: lake.store, timeZone: TZ, bronzeKeys: [A, B, D].map((at) => bronzeKey(dtOf(at), idOf(at))) });
    await runGold({ store: lake.store, dates: [], includePending: true });
    await runSilver({ store: lake.store, timeZone: TZ, bronzeKeys: [bronzeKey('2026-11-29', idOf(C))] });
    const bytes = await lake.store.get(C_SILVER);
    await lake.store.delete(C_SILVER);

    // act
    const gold = await runGold({ store: landingAfterThe28th(bytes), dates: ['2026-11-28'], includePending: true });
    const stale = await goldOf28th();
    const left = await markers();
    await runGold({ store: lake.store, dates: [], includePending: true });

    // assess
    expect(gold.dates).toEqual(['2026-11-28', '2026-11-29']);
    expect(left).toEqual([C_MARKER]);
    expect(await goldOf28th()).not.toEqual(stale);
    expect(await markers()).toEqual([]);
  });

  it('removes the marker of an object left out as another model\'s once its bronze object is gone, instead of rebuilding its date forever', async () => {
    // prepare: a lake kept across an upgrade, whose 19:00 bronze object is lost; a gold run of the 28th fails once (full disk)
    await writeSnapshots([A, B, C, D]);
    await runSilver({ store: lake.store, timeZone: TZ });
    await runGold({ store: lake.store, dates: [], includePending: true, silver: { timeZone: TZ } });
    const old = silverKey('2026-11-28', idOf(A));
    await rewriteAsEarlierVersion(lake.store, old);
    await rm(lake.store.pathOf(bronzeKey('2026-11-28', idOf(A))));
    const fullDisk = storeWith(lake.store, {
      putFile: (key, path) => (key.includes('/dt=2026-11-28/') && key.startsWith(LAKE_PREFIXES.gold) ? Promise.reject(new Error('ENOSPC')) : lake.store.putFile(key, path)),
    });
    const failing = await runGold({ store: fullDisk, dates: ['2026-11-28'], includePending: true, silver: { timeZone: TZ } });

    // act
    const retried = await runGold({ store: lake.store, dates: [], includePending: true, silver: { timeZone: TZ } });
    const after = await runGold({ store: lake.store, dates: [], includePending: true, silver: { timeZone: TZ } });

    // assess
    expect(failing.failed.map((failure) => failure.date)).toEqual(['2026-11-28']);
    expect(retried).toMatchObject({ dates: ['2026-11-28', '2026-11-29'], failed: [] });
    expect(retried.outdated).toEqual([expect.objectContaining({ key: old, action: 'left out' })]);
    expect(after.dates).toEqual([]);
    expect(await markers()).toEqual([]);
  });

  it('sets an unreadable neighbour aside, so its rebuild brings the day before back whole', async () => {
    // prepare: all built; then the 29th's first silver object is torn
    await writeSnapshots([A, B, C, D], (at) => (at === C ? 5000 : 100));
    await runSilver({ store: lake.store, timeZone: TZ });
    await runGold({ store: lake.store, dates: [], includePending: true });
    const whole = await goldOf28th();
    await truncate(lake.store.pathOf(C_SILVER), 200);

    // act: the 28th alone is rebuilt (a late snapshot of it, say), then the next cycle
    const gold = await runGold({ store: lake.store, dates: ['2026-11-28'], includePending: true, silver: { timeZone: TZ } });
    const degraded = await goldOf28th();
    const silver = await runSilver({ store: lake.store, timeZone: TZ });
    const next = await runGold({ store: lake.store, dates: silver.dates, includePending: true, silver: { timeZone: TZ } });

    // assess
    expect(gold.corrupt).toEqual([expect.objectContaining({ key: C_SILVER, action: 'quarantined' })]);
    expect(degraded).not.toEqual(whole);
    expect(silver.processed.map((result) => result.silverKey)).toEqual([C_SILVER]);
    expect(next.dates).toEqual(['2026-11-28', '2026-11-29']);
    expect(await goldOf28th()).toEqual(whole);
  });

  it('keeps a marker that a silver run rewrites just before gold removes it', async () => {
    // prepare: all built but the 29th's first snapshot pending; a silver run of it marks it again
    // right before gold's delete (its object not yet published), as a rerun in AWS may
    await writeSnapshots([A, B, C, D]);
    await runSilver({ store: lake.store, timeZone: TZ });
    await runGold({ store: lake.store, dates: [], includePending: true });
    await markGoldPending(lake.store, C_SILVER);
    const { store: racing, landed } = storeLandingBeforeSettle(lake.store, () => markGoldPending(lake.store, C_SILVER));

    // act
    const gold = await runGold({ store: racing, dates: [], includePending: true });
    const left = await markers();
    const next = await runGold({ store: lake.store, dates: [], includePending: true });

    // assess: the marker written during the settle stays, so the next run folds the object in
    expect(landed()).toBe(true);
    expect(gold.dates).toEqual(['2026-11-28', '2026-11-29']);
    expect(left).toEqual([C_MARKER]);
    expect(next.dates).toEqual(['2026-11-28', '2026-11-29']);
    expect(await markers()).toEqual([]);
  });
});
