import { silverKey } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';
import { runSilver } from '../src/index';
import { bronzeRow, readRows, useTestLake, writeBronzeSnapshot } from './support/transform-lake';

const SAO_PAULO = 'America/Sao_Paulo';
const lake = useTestLake();

/** 23:30 in São Paulo on 2026-11-29, already 2026-11-30 in UTC. */
const LATE_EVENING = '2026-11-30T02:30:00Z';
/** 09:00 in São Paulo, the same date in UTC. */
const MORNING = '2026-11-29T12:00:00Z';

type SilverRow = { fuso_horario: string; hora_dia: number; data: Date };
const silverRows = () => readRows<SilverRow>(lake.store, 'silver/', 'id_stream');
const dayOf = (row: SilverRow) => row.data.toISOString().slice(0, 10);

describe('runSilver after PIPELINE_TIMEZONE changed', () => {
  it('dates a snapshot in the zone its bronze object names', async () => {
    // prepare
    await writeBronzeSnapshot(lake.store, LATE_EVENING, [bronzeRow({ collected_at: LATE_EVENING })], SAO_PAULO);

    // act
    const summary = await runSilver({ store: lake.store, timeZone: 'UTC' });

    // assess
    expect(summary.failed).toEqual([]);
    const [row] = await silverRows();
    expect(row).toMatchObject({ fuso_horario: SAO_PAULO, hora_dia: 23 });
    expect(dayOf(row!)).toBe('2026-11-29');
  });

  it.each([
    ['dated on another day in the new zone', LATE_EVENING, 23],
    ['dated on the same day in the new zone', MORNING, 9],
  ])('keeps the zone of the silver object of a snapshot collected before bronze named its zone (%s)', async (_case, at, hour) => {
    // prepare: silver built when the setting was São Paulo's
    const key = await writeBronzeSnapshot(lake.store, at, [bronzeRow({ collected_at: at })], SAO_PAULO, { recordZone: false });
    await runSilver({ store: lake.store, timeZone: SAO_PAULO });

    // act
    const summary = await runSilver({ store: lake.store, bronzeKeys: [key], timeZone: 'UTC' });

    // assess
    expect(summary.failed).toEqual([]);
    expect(summary.processed).toHaveLength(1);
    expect(await silverRows()).toMatchObject([{ fuso_horario: SAO_PAULO, hora_dia: hour }]);
  });

  it('refuses such a snapshot without a silver object when the setting dates it on another day, and writes nothing', async () => {
    // prepare
    const key = await writeBronzeSnapshot(lake.store, LATE_EVENING, [bronzeRow({ collected_at: LATE_EVENING })], SAO_PAULO, { recordZone: false });

    // act
    const summary = await runSilver({ store: lake.store, timeZone: 'UTC' });

    // assess
    expect(summary.processed).toEqual([]);
    expect(summary.failed).toEqual([
      {
        bronzeKey: key,
        error:
          'collected before snapshots recorded their time zone, and dated 2026-11-29 in another zone than PIPELINE_TIMEZONE (UTC dates it 2026-11-30): ' +
          'set PIPELINE_TIMEZONE to the zone it was collected in to rebuild it; its silver object is kept as it was',
      },
    ]);
    expect(await lake.store.exists(silverKey('2026-11-29', '20261130T023000Z'))).toBe(false);
  });

  it('dates such a snapshot in the setting when that gives its day', async () => {
    // prepare
    await writeBronzeSnapshot(lake.store, MORNING, [bronzeRow({ collected_at: MORNING })], SAO_PAULO, { recordZone: false });

    // act
    const summary = await runSilver({ store: lake.store, timeZone: 'UTC' });

    // assess
    expect(summary.failed).toEqual([]);
    expect(await silverRows()).toMatchObject([{ fuso_horario: 'UTC', hora_dia: 12 }]);
  });
});
