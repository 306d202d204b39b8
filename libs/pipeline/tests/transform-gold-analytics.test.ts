import { rename } from 'node:fs/promises';
import { parquetKeyValues, sqlString, withEngine } from '@twitch-pipeline/duckdb';
import { checkModelRules, installFeatureMacros } from '@twitch-pipeline/features';
import { goldKey } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';
import { goldModelVersion, MODEL_VERSION_KEY, runGold, runSilver } from '../src/index';
import { bronzeRow, useTestLake, readRows, writeBronzeSnapshot } from './support/transform-lake';

const TZ = 'America/Sao_Paulo';
const lake = useTestLake();

/**
 * One channel in Just Chatting, one broadcast a day started at 11:30 local (14:30Z) and sampled
 * every 30 minutes: 100 viewers at 12:00 on 11-27 (30 min of lead-in + 15 min of expected tail:
 * 75 h), 200 on 11-28 (150 h), 300 at 12:00 and 12:30 on 11-29 (lead-in + trapezoid: 300 h; the
 * newest snapshot, no tail yet). For 11-29 the window has 2 days with data: baseline
 * (75 + 150) / 2 = 112.5 h, growth 300 / 112.5; average viewers 300 against 225 h over 90 min
 * = 150, growth 2.
 */
async function writeHistory(): Promise<void> {
  const samples: [string, string, number][] = [
    ['2026-11-27T15:00:00Z', 's27', 100],
    ['2026-11-28T15:00:00Z', 's28', 200],
    ['2026-11-29T15:00:00Z', 's29', 300],
    ['2026-11-29T15:30:00Z', 's29', 300],
  ];
  for (const [at, id, viewers] of samples) {
    const startedAt = `${at.slice(0, 10)}T14:30:00Z`;
    await writeBronzeSnapshot(lake.store, at, [bronzeRow({ collected_at: at, id, viewer_count: viewers, started_at: startedAt })], TZ);
  }
  await runSilver({ store: lake.store, timeZone: TZ });
}

describe('runGold analytics tables', () => {
  it('builds trends from the 7 days before each date and best times from the day', async () => {
    // prepare
    await writeHistory();

    // act
    const gold = await runGold({ store: lake.store, dates: ['2026-11-29', '2026-11-27', '2026-11-28'] });

    // assess
    expect(gold.tables).toMatchObject({ tendencias_diario: 6, melhores_horarios: 3 });
    const trends = await readRows(lake.store, 'gold/tendencias_diario/dt=2026-11-29/', 'dimensao');
    expect(trends).toEqual([
      expect.objectContaining({ dimensao: 'categoria', nome: 'Just Chatting', horas_assistidas: 300, media_7d_horas_assistidas: 112.5, crescimento_horas: 300 / 112.5, crescimento_espectadores: 2, dias_historico: 2, elegivel: true }),
      expect.objectContaining({ dimensao: 'streamer', nome: 'canal', horas_assistidas: 300, media_7d_horas_assistidas: 112.5, crescimento_horas: 300 / 112.5, crescimento_espectadores: 2, dias_historico: 2, elegivel: true }),
    ]);
    const bestTimes = await readRows(lake.store, 'gold/melhores_horarios/dt=2026-11-29/', 'hora_dia');
    // Hour 12 holds the trapezoid 12:00–12:30 (150 h); the lead-in's 150 h fall in hour 11, which
    // has no sample of the category, so they are in the daily tables only.
    expect(bestTimes).toEqual([
      expect.objectContaining({ nome_categoria: 'Just Chatting', hora_dia: 12, periodo_dia: 'Afternoon', canais_ao_vivo: 1, espectadores_medios: 300, espectadores_por_canal: 300, horas_assistidas: 150, amostras: 2 }),
    ]);
  });

  it('rebuilds one date alone from the partitions already in the lake, with the same rows, passing the column rules', async () => {
    // prepare
    await writeHistory();
    await runGold({ store: lake.store, dates: ['2026-11-27', '2026-11-28', '2026-11-29'] });
    const before = await readRows(lake.store, 'gold/tendencias_diario/dt=2026-11-29/', 'dimensao');

    // act
    await runGold({ store: lake.store, dates: ['2026-11-29'] });

    // assess
    expect(await readRows(lake.store, 'gold/tendencias_diario/dt=2026-11-29/', 'dimensao')).toEqual(before);
    const violations = await withEngine({}, async (engine) => {
      await installFeatureMacros(engine);
      const relation = (table: string) =>
        `read_parquet(${sqlString(lake.store.pathOf(goldKey(table, '2026-11-29')))}, hive_partitioning = false)`;
      return [
        ...(await checkModelRules(engine, 'gold_tendencias_diario', relation('tendencias_diario'))),
        ...(await checkModelRules(engine, 'gold_melhores_horarios', relation('melhores_horarios'))),
      ];
    });
    expect(violations).toEqual([]);
  });

  it('refreshes the trends of the later dates when an earlier date is rebuilt alone, as a rebuild in date order gives them', async () => {
    // prepare: the whole history built, then a late snapshot of the 27th doubles its hours
    await writeHistory();
    await runGold({ store: lake.store, dates: ['2026-11-27', '2026-11-28', '2026-11-29'] });
    const stale = await readRows(lake.store, 'gold/tendencias_diario/dt=2026-11-29/', 'dimensao');
    await writeBronzeSnapshot(lake.store, '2026-11-27T15:30:00Z', [bronzeRow({ collected_at: '2026-11-27T15:30:00Z', id: 's27', viewer_count: 100, started_at: '2026-11-27T14:30:00Z' })], TZ);
    await runSilver({ store: lake.store, timeZone: TZ });

    // act
    const gold = await runGold({ store: lake.store, dates: ['2026-11-27'] });
    const refreshed = await readRows(lake.store, 'gold/tendencias_diario/dt=2026-11-29/', 'dimensao');
    await runGold({ store: lake.store, dates: ['2026-11-27', '2026-11-28', '2026-11-29'] });

    // assess
    expect(gold.trendsRefreshed).toEqual(['2026-11-28', '2026-11-29']);
    expect(refreshed).not.toEqual(stale);
    expect(refreshed).toEqual(await readRows(lake.store, 'gold/tendencias_diario/dt=2026-11-29/', 'dimensao'));
  });

  it('stamps refreshed trends with the older version their own date\'s tables carry, so they are reported outdated with them', async () => {
    // prepare: the whole history built, the 29th's channel table then stamped as written by another version, and a late snapshot of the 27th
    await writeHistory();
    await runGold({ store: lake.store, dates: ['2026-11-27', '2026-11-28', '2026-11-29'] });
    const older = 'gold:0000000000000000';
    const path = lake.store.pathOf(goldKey('streamers_diario', '2026-11-29'));
    await withEngine({}, (engine) => engine.copyToParquet(`SELECT * FROM read_parquet(${sqlString(path)})`, undefined, `${path}.old`, { [MODEL_VERSION_KEY]: older }));
    await rename(`${path}.old`, path);
    await writeBronzeSnapshot(lake.store, '2026-11-27T15:30:00Z', [bronzeRow({ collected_at: '2026-11-27T15:30:00Z', id: 's27', viewer_count: 100, started_at: '2026-11-27T14:30:00Z' })], TZ);
    await runSilver({ store: lake.store, timeZone: TZ });

    // act
    const gold = await runGold({ store: lake.store, dates: ['2026-11-27'] });
    const versions = await withEngine({}, (engine) =>
      parquetKeyValues(engine, ['2026-11-28', '2026-11-29'].map((date) => lake.store.pathOf(goldKey('tendencias_diario', date))), MODEL_VERSION_KEY),
    );

    // assess
    expect(gold.trendsRefreshed).toEqual(['2026-11-28', '2026-11-29']);
    expect(versions).toEqual([goldModelVersion(), older]);
  });
});
