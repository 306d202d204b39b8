import { utimes } from 'node:fs/promises';
import { bronzeKey, silverKey } from '@twitch-pipeline/schemas';
import { createLogger } from '@twitch-pipeline/observability';
import type { LocalObjectStore } from '@twitch-pipeline/storage';
import { describe, expect, it, vi } from 'vitest';
import { pendingBronzeKeys, runSilver } from '../src/index';
import { bronzeRow, readRows, useTestLake, writeBronzeSnapshot } from './support/transform-lake';

const TZ = 'America/Sao_Paulo';
const DT = '2026-11-29';
const SNAPSHOT = '20261129T150000Z';
const WRITTEN = new Date('2026-12-01T10:00:00Z');
const A_MINUTE_LATER = new Date(WRITTEN.getTime() + 60_000);
// pendingBronzeKeys reads sizes and times only, so any bytes past the Parquet minimum will do.
const BYTES = 'PAR1 some parquet bytes PAR1';

const lake = useTestLake();

/** One snapshot's bronze and silver objects, each with the modification time given. */
async function writeSnapshotAt(store: LocalObjectStore, times: { bronze: Date; silver: Date }): Promise<string> {
  const bronze = bronzeKey(DT, SNAPSHOT);
  const silver = silverKey(DT, SNAPSHOT);
  await store.put(bronze, BYTES);
  await store.put(silver, BYTES);
  await utimes(store.pathOf(bronze), times.bronze, times.bronze);
  await utimes(store.pathOf(silver), times.silver, times.silver);
  return bronze;
}

describe('pendingBronzeKeys with a silver object already there', () => {
  it('counts a bronze object rewritten after its silver object as pending', async () => {
    // prepare: a second run in the slot rewrote bronze and was killed before its silver step
    const bronze = await writeSnapshotAt(lake.store, { bronze: A_MINUTE_LATER, silver: WRITTEN });

    // act
    const pending = await pendingBronzeKeys(lake.store);

    // assess
    expect(pending).toEqual([bronze]);
  });

  it('does not count a snapshot whose silver object was rewritten after its bronze (a rebuild)', async () => {
    // prepare
    await writeSnapshotAt(lake.store, { bronze: WRITTEN, silver: A_MINUTE_LATER });

    // act
    const pending = await pendingBronzeKeys(lake.store);

    // assess
    expect(pending).toEqual([]);
  });

  it('does not count a snapshot whose bronze and silver objects have the same time', async () => {
    // prepare: S3 keeps times to the second, so both writes often fall within one
    await writeSnapshotAt(lake.store, { bronze: WRITTEN, silver: WRITTEN });

    // act
    const pending = await pendingBronzeKeys(lake.store);

    // assess
    expect(pending).toEqual([]);
  });

  it('does not count a bronze object dated later than now once its silver object exists, until that date has passed', async () => {
    // prepare: a bronze object copied from a machine whose clock ran a year ahead, silver built from it since
    const ahead = new Date(WRITTEN.getTime() + 365 * 86_400_000);
    const bronze = await writeSnapshotAt(lake.store, { bronze: ahead, silver: A_MINUTE_LATER });

    // act
    const pendingNow = await pendingBronzeKeys(lake.store, undefined, A_MINUTE_LATER);
    const pendingAfter = await pendingBronzeKeys(lake.store, undefined, new Date(ahead.getTime() + 1));

    // assess: not rebuilt every cycle; once its date is past, a time later than its silver's counts again
    expect(pendingNow).toEqual([]);
    expect(pendingAfter).toEqual([bronze]);
  });
});

describe('runSilver after a bronze object is rewritten', () => {
  it('rebuilds the silver object from the new bronze rows and names its date for gold', async () => {
    // prepare: silver from a first run's bronze, then a second run's bronze of the same slot with other rows
    const at = '2026-11-29T15:00:00Z';
    const channel = (n: number) => bronzeRow({ collected_at: at, id: String(5000 + n), user_id: String(600 + n), user_login: `canal_${n}`, viewer_count: 100 * n });
    const key = await writeBronzeSnapshot(lake.store, at, [1, 2].map(channel), TZ);
    await runSilver({ store: lake.store, timeZone: TZ });
    // The first run's silver a minute before the second run's bronze, not within the same millisecond.
    const aMinuteAgo = new Date(Date.now() - 60_000);
    await utimes(lake.store.pathOf(silverKey(DT, SNAPSHOT)), aMinuteAgo, aMinuteAgo);
    await writeBronzeSnapshot(lake.store, at, [1, 2, 3, 4, 5].map(channel), TZ);

    // act
    const summary = await runSilver({ store: lake.store, timeZone: TZ });

    // assess
    expect(summary.failed).toEqual([]);
    expect(summary.processed).toMatchObject([{ bronzeKey: key, silverKey: silverKey(DT, SNAPSHOT), rowsIn: 5, rowsOut: 5 }]);
    expect(summary.dates).toEqual([DT]);
    const silver = await readRows<{ id_stream: string }>(lake.store, 'silver/', 'id_stream');
    expect(silver.map((row) => row.id_stream)).toEqual(['5001', '5002', '5003', '5004', '5005']);
    expect(await pendingBronzeKeys(lake.store)).toEqual([]);
  });
});

describe('runSilver beside a file in bronze that names no snapshot', () => {
  it('leaves it alone and names it in the log, where no status lists the lake', async () => {
    // prepare: a snapshot and a file copied in by hand under a date folder of bronze
    const at = '2026-11-29T15:00:00Z';
    await writeBronzeSnapshot(lake.store, at, [bronzeRow({ collected_at: at, id: '7001', user_id: '701', user_login: 'canal_um' })], TZ);
    const stray = `raw/streams/dt=${DT}/copia-20261129T150000Z.parquet`;
    await lake.store.put(stray, BYTES);
    const logger = createLogger('transform-silver');
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // act
    const summary = await runSilver({ store: lake.store, timeZone: TZ, logger });

    // assess
    expect(summary.failed).toEqual([]);
    expect(summary.processed).toHaveLength(1);
    expect(warn).toHaveBeenCalledWith('files in bronze that name no snapshot, left alone', { count: 1, keys: [stray] });
  });
});
