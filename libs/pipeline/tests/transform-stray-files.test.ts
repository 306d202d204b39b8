import { goldKey, silverKey } from '@twitch-pipeline/schemas';
import { createLogger } from '@twitch-pipeline/observability';
import { describe, expect, it, vi } from 'vitest';
import { runGold, runSilver } from '../src/index';
import { GOLD_STRAYS_WARNING } from '../src/transform/gold-strays';
import { bronzeRow, useTestLake, writeBronzeSnapshot } from './support/transform-lake';

// In AWS, Athena's tables read every file under a partition, where the CLI's views and the steps
// read only the objects the steps write: a file copied in by hand is left alone, and named in the
// log, where no `status` lists the lake.
const TZ = 'America/Sao_Paulo';
const DT = '2026-11-29';
const AT = '2026-11-29T15:00:00Z';
const lake = useTestLake();

describe('files in silver and gold partitions that no step wrote', () => {
  it('are left alone and named in the log by the silver and gold runs, the gold rows unchanged', async () => {
    // prepare: a snapshot built once, then a copy of its silver object and of a gold partition beside them
    await writeBronzeSnapshot(lake.store, AT, [bronzeRow({ collected_at: AT, id: '7001', user_id: '701', user_login: 'canal_um' })], TZ);
    const silver = await runSilver({ store: lake.store, timeZone: TZ });
    const before = await runGold({ store: lake.store, dates: silver.dates });
    const silverCopy = `silver/streams/dt=${DT}/copia.parquet`;
    const goldCopy = `gold/streams_diario/dt=${DT}/backup.parquet`;
    // In a partition this run does not rewrite: the check covers all of gold.
    const olderCopy = 'gold/streams_diario/dt=2026-11-20/part-0.parquet.bak';
    await lake.store.put(silverCopy, await lake.store.get(silverKey(DT, '20261129T150000Z')));
    await lake.store.put(goldCopy, await lake.store.get(goldKey('streams_diario', DT)));
    await lake.store.put(olderCopy, await lake.store.get(goldKey('streams_diario', DT)));
    const logger = createLogger('transform');
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // act
    await runSilver({ store: lake.store, timeZone: TZ, logger });
    const gold = await runGold({ store: lake.store, dates: [DT], logger });

    // assess
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^files in silver that name no snapshot, left alone: Athena reads every file/), { count: 1, keys: [silverCopy] });
    expect(warn).toHaveBeenCalledWith(GOLD_STRAYS_WARNING, { count: 2, keys: [olderCopy, goldCopy] });
    expect(gold.tables).toEqual(before.tables);
    expect(await lake.store.exists(silverCopy)).toBe(true);
    expect(await lake.store.exists(goldCopy)).toBe(true);
  });

  it('are left to the daily sweep by a gold run that lists only recent partitions', async () => {
    // prepare
    await writeBronzeSnapshot(lake.store, AT, [bronzeRow({ collected_at: AT, id: '7001', user_id: '701', user_login: 'canal_um' })], TZ);
    const silver = await runSilver({ store: lake.store, timeZone: TZ });
    await runGold({ store: lake.store, dates: silver.dates });
    await lake.store.put(`gold/streams_diario/dt=${DT}/backup.parquet`, await lake.store.get(goldKey('streams_diario', DT)));
    const logger = createLogger('transform');
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // act
    await runGold({ store: lake.store, dates: [DT], logger, listFrom: '2026-11-28' });

    // assess
    expect(warn).not.toHaveBeenCalledWith(GOLD_STRAYS_WARNING, expect.anything());
  });
});
