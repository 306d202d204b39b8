import { bronzeKey, goldKey, goldPendingKey, LAKE_PREFIXES, silverKey } from '@twitch-pipeline/schemas';
import type { LocalObjectStore, ObjectStore } from '@twitch-pipeline/storage';
import { describe, expect, it } from 'vitest';
import { listGoldPending, runGold, runSilver } from '../src/index';
import { markGoldPending } from '../src/transform/gold-pending';
import { bronzeRow, readRows, storeLandingAt, storeLandingBeforeSettle, storeWith, useTestLake, writeBronzeSnapshot } from './support/transform-lake';

const TZ = 'America/Sao_Paulo';
const lake = useTestLake();

// Two consecutive dates of two snapshots each (São Paulo time): the last snapshot of the 28th
// and the first of the 29th change both dates' gold (hours watched join them across midnight).
const SNAPSHOTS = ['2026-11-28T15:00:00Z', '2026-11-28T21:00:00Z', '2026-11-29T15:00:00Z', '2026-11-29T21:00:00Z'];
const snapshotId = (at: string) => at.replace(/[-:]/g, '').replace('.000', '');
const markerOf = (at: string) => goldPendingKey(at.slice(0, 10), snapshotId(at));

async function writeTwoDates(): Promise<void> {
  for (const at of SNAPSHOTS) await writeBronzeSnapshot(lake.store, at, [bronzeRow({ collected_at: at, viewer_count: 100 })], TZ);
}

async function markers(): Promise<string[]> {
  return (await lake.store.list(LAKE_PREFIXES.goldPending)).map((object) => object.key);
}

/** Publishing a gold partition of `date` fails as a full disk would. */
function failingGoldOf(store: LocalObjectStore, date: string): ObjectStore {
  return storeWith(store, {
    putFile: (key, path) =>
      key.startsWith(LAKE_PREFIXES.gold) && key.includes(`/dt=${date}/`) ? Promise.reject(new Error(`ENOSPC: no space left on device, write ${key}`)) : store.putFile(key, path),
  });
}

describe('silver marks what gold has not folded in yet', () => {
  it('writes one marker per silver object, and gold taking pending dates removes them once their dates are published', async () => {
    // prepare
    await writeTwoDates();
    const silver = await runSilver({ store: lake.store, timeZone: TZ });
    const marked = await markers();
    const body = JSON.parse(new TextDecoder().decode(await lake.store.get(marked[0]!)));

    // act
    const gold = await runGold({ store: lake.store, dates: silver.dates, includePending: true });

    // assess
    expect(marked).toEqual(SNAPSHOTS.map(markerOf));
    expect(body).toMatchObject({ silverKey: silverKey('2026-11-28', '20261128T150000Z') });
    expect(gold).toMatchObject({ dates: ['2026-11-28', '2026-11-29'], pendingDates: [], failed: [], skipped: [] });
    expect(await markers()).toEqual([]);
  });

  it('leaves the markers alone when gold is not asked to take pending dates', async () => {
    // prepare
    await writeTwoDates();
    await runSilver({ store: lake.store, timeZone: TZ });

    // act
    const gold = await runGold({ store: lake.store, dates: ['2026-11-29'] });

    // assess
    expect(gold.dates).toEqual(['2026-11-29']);
    expect(await markers()).toEqual(SNAPSHOTS.map(markerOf));
  });
});

describe('a gold date that fails', () => {
  it('is the only date its markers report pending, while the object stays as the other date read it', async () => {
    // prepare: the 28th fails, the 29th is published having read the 28th's last snapshot
    await writeTwoDates();
    const silver = await runSilver({ store: lake.store, timeZone: TZ });
    await runGold({ store: failingGoldOf(lake.store, '2026-11-28'), dates: silver.dates, includePending: true });
    const lastOf28th = silverKey('2026-11-28', snapshotId(SNAPSHOTS[1]!));

    // act
    const reported = Object.fromEntries((await listGoldPending(lake.store)).map((entry) => [entry.silverKey, entry.dates]));
    await runSilver({ store: lake.store, timeZone: TZ, bronzeKeys: [bronzeKey('2026-11-28', snapshotId(SNAPSHOTS[1]!))] });
    const afterRewrite = (await listGoldPending(lake.store)).find((entry) => entry.silverKey === lastOf28th)?.dates;

    // assess: rewritten, the object is one the 29th has not read
    expect(reported).toEqual({
      [silverKey('2026-11-28', snapshotId(SNAPSHOTS[0]!))]: ['2026-11-28'],
      [lastOf28th]: ['2026-11-28'],
      [silverKey('2026-11-29', snapshotId(SNAPSHOTS[2]!))]: ['2026-11-28'],
    });
    expect(afterRewrite).toEqual(['2026-11-28', '2026-11-29']);
  });

  it('is reported while the other dates are published, and the next run taking pending dates rebuilds it', async () => {
    // prepare
    await writeTwoDates();
    const silver = await runSilver({ store: lake.store, timeZone: TZ });

    // act
    const failing = await runGold({ store: failingGoldOf(lake.store, '2026-11-28'), dates: silver.dates, includePending: true });
    const left = await markers();
    const next = await runGold({ store: lake.store, dates: [], includePending: true });

    // assess: the 29th was published; only its last snapshot's marker names no date that failed,
    // and the marker of the 28th's last, which the 29th read too, records that the 29th took it
    expect(failing.failed).toEqual([{ date: '2026-11-28', error: expect.stringContaining('ENOSPC: no space left on device') }]);
    expect(await lake.store.exists(goldKey('streamers_diario', '2026-11-29'))).toBe(true);
    expect(left).toEqual(SNAPSHOTS.slice(0, 3).map(markerOf));
    expect(next).toMatchObject({ dates: ['2026-11-28'], pendingDates: ['2026-11-28'], failed: [] });
    expect(await readRows(lake.store, `${LAKE_PREFIXES.gold}streamers_diario/dt=2026-11-28/`, 'nome_streamer')).toHaveLength(1);
    expect(await markers()).toEqual([]);
  });

  it('marks its silver objects pending even when nothing had marked them (a lake older than markers)', async () => {
    // prepare
    await writeTwoDates();
    const silver = await runSilver({ store: lake.store, timeZone: TZ });
    for (const key of await markers()) await lake.store.delete(key);

    // act
    const failing = await runGold({ store: failingGoldOf(lake.store, '2026-11-29'), dates: silver.dates });

    // assess
    expect(failing.failed.map((failure) => failure.date)).toEqual(['2026-11-29']);
    expect(await markers()).toEqual(SNAPSHOTS.slice(2).map(markerOf));
  });
});

describe('markers gold keeps', () => {
  it('keeps a marker whose silver object was not there to read while its bronze object is, and drops one that names nothing', async () => {
    // prepare: a silver run stopped between its marker and its object, and a marker whose snapshot is gone altogether
    await writeTwoDates();
    await runSilver({ store: lake.store, timeZone: TZ });
    await lake.store.delete(silverKey('2026-11-29', '20261129T210000Z'));
    await lake.store.delete(silverKey('2026-11-28', '20261128T150000Z'));
    await lake.store.delete(bronzeKey('2026-11-28', '20261128T150000Z'));

    // act
    await runGold({ store: lake.store, dates: [], includePending: true });

    // assess
    expect(await markers()).toEqual([markerOf(SNAPSHOTS[3]!)]);
  });

  it('keeps a marker that a silver run rewrote while gold ran, for the next run', async () => {
    // prepare: the snapshot is transformed again after gold built its dates, just before gold settles the markers
    await writeTwoDates();
    await runSilver({ store: lake.store, timeZone: TZ });
    const { store, landed } = storeLandingBeforeSettle(lake.store, () =>
      runSilver({ store: lake.store, timeZone: TZ, bronzeKeys: [bronzeKey('2026-11-29', '20261129T210000Z')] }),
    );

    // act
    await runGold({ store, dates: [], includePending: true });

    // assess
    expect(landed()).toBe(true);
    expect(await markers()).toEqual([markerOf(SNAPSHOTS[3]!)]);
  });

  it('keeps a marker whose object landed during the run as the first of its date, until the day before is rebuilt too', async () => {
    // prepare: the 28th built; the 29th's first snapshot is marked but still being published when gold starts
    await writeTwoDates();
    await runSilver({ store: lake.store, timeZone: TZ, bronzeKeys: [bronzeKey('2026-11-28', '20261128T150000Z'), bronzeKey('2026-11-28', '20261128T210000Z')] });
    await runGold({ store: lake.store, dates: [], includePending: true });
    await runSilver({ store: lake.store, timeZone: TZ, bronzeKeys: [bronzeKey('2026-11-29', '20261129T150000Z')] });
    const first = silverKey('2026-11-29', '20261129T150000Z');
    const bytes = await lake.store.get(first);
    await lake.store.delete(first);
    // It lands once gold has listed the markers and the dates they name, before the 29th is read.
    const store = storeLandingAt(lake.store, `${LAKE_PREFIXES.silver}dt=2026-11-29/`, () => lake.store.put(first, bytes));

    // act
    const gold = await runGold({ store, dates: [], includePending: true });
    const left = await markers();
    const next = await runGold({ store: lake.store, dates: [], includePending: true });

    // assess: the 28th's hours across midnight need the new first snapshot of the 29th, which
    // the 29th's build read: the next run rebuilds the 28th alone
    expect(gold.dates).toEqual(['2026-11-29']);
    expect(left).toEqual([markerOf(SNAPSHOTS[2]!)]);
    expect(next.dates).toEqual(['2026-11-28']);
    expect(await markers()).toEqual([]);
  });

  it('keeps a marker when its object was rewritten after gold read it', async () => {
    // prepare: everything built, then a silver run has marked a snapshot and is about to rewrite it
    await writeTwoDates();
    await runSilver({ store: lake.store, timeZone: TZ });
    await runGold({ store: lake.store, dates: [], includePending: true });
    const rewritten = silverKey('2026-11-29', '20261129T210000Z');
    await markGoldPending(lake.store, rewritten);
    const newer = await lake.store.get(silverKey('2026-11-28', '20261128T150000Z'));
    // The new object lands after gold built the 29th from the old one, just before gold settles.
    const { store, landed } = storeLandingBeforeSettle(lake.store, () => lake.store.put(rewritten, newer));

    // act
    await runGold({ store, dates: [], includePending: true });

    // assess
    expect(landed()).toBe(true);
    expect(await markers()).toEqual([markerOf(SNAPSHOTS[3]!)]);
  });

  it('keeps a marker when its object was rewritten after gold read it, at the same size and within the same second', async () => {
    // prepare: as above, but the store gives every object the same time, as S3 (times to the second) does within one second
    await writeTwoDates();
    await runSilver({ store: lake.store, timeZone: TZ });
    await runGold({ store: lake.store, dates: [], includePending: true });
    const rewritten = silverKey('2026-11-29', '20261129T210000Z');
    const sameSize = await lake.store.get(rewritten);
    await markGoldPending(lake.store, rewritten);
    const oneSecond = new Date(Date.UTC(2026, 10, 29, 21, 30));
    const { store, landed } = storeLandingBeforeSettle(
      lake.store,
      () => lake.store.put(rewritten, sameSize),
      (objects) => objects.map((object) => ({ ...object, lastModified: oneSecond })),
    );

    // act
    await runGold({ store, dates: [], includePending: true });

    // assess
    expect(landed()).toBe(true);
    expect(await markers()).toEqual([markerOf(SNAPSHOTS[3]!)]);
  });

  it('gives every marker write bytes of its own, so a marker rewritten within the second it was listed is told apart on S3', async () => {
    // prepare
    const key = silverKey('2026-11-29', '20261129T210000Z');
    const read = async () => new TextDecoder().decode(await lake.store.get(markerOf(SNAPSHOTS[3]!)));

    // act
    await markGoldPending(lake.store, key);
    const first = await read();
    await markGoldPending(lake.store, key);

    // assess
    expect(await read()).not.toBe(first);
  });

  it('starts no date once a stop is asked for, and keeps those dates pending', async () => {
    // prepare
    await writeTwoDates();
    await runSilver({ store: lake.store, timeZone: TZ });
    const stop = { stopping: false };

    // act
    const gold = await runGold({
      store: lake.store,
      dates: [],
      includePending: true,
      stop,
      onDateDone: () => {
        stop.stopping = true;
      },
    });

    // assess: the 28th was published; the markers naming the 29th wait for the next run
    expect(gold).toMatchObject({ dates: ['2026-11-28', '2026-11-29'], skipped: ['2026-11-29'], failed: [] });
    expect(await markers()).toEqual(SNAPSHOTS.slice(1).map(markerOf));
  });
});
