import { withEngine } from '@twitch-pipeline/duckdb';
import { checkModelRules, installFeatureMacros } from '@twitch-pipeline/features';
import { goldKey } from '@twitch-pipeline/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runGold, runSilver } from '../src/index';
import { bronzeRow, createTestLake, readRows, type TestLake, writeBronzeSnapshot } from './support/transform-lake';

const TZ = 'America/Sao_Paulo';
let lake: TestLake;

beforeEach(async () => {
  lake = await createTestLake();
});
afterEach(async () => {
  await lake.dispose();
});

/**
 * One channel in Just Chatting, live at 12:00 local (15:00Z) for 30-minute samples:
 * 100 viewers on 11-27 (50 h), 200 on 11-28 (100 h), 300 at 12:00 and 12:30 on 11-29 (300 h).
 * For 11-29 the window has 2 days with data: baseline (50 + 100) / 2 = 75 h, growth 300 / 75 = 4;
 * average viewers 300 against 150 × 60 / 60 = 150, growth 2.
 */
async function writeHistory(): Promise<void> {
  const samples: [string, number][] = [
    ['2026-11-27T15:00:00Z', 100],
    ['2026-11-28T15:00:00Z', 200],
    ['2026-11-29T15:00:00Z', 300],
    ['2026-11-29T15:30:00Z', 300],
  ];
  for (const [at, viewers] of samples) {
    await writeBronzeSnapshot(lake.store, at, [bronzeRow({ collected_at: at, viewer_count: viewers })], TZ);
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
      expect.objectContaining({ dimensao: 'categoria', nome: 'Just Chatting', horas_assistidas: 300, media_7d_horas_assistidas: 75, crescimento_horas: 4, crescimento_espectadores: 2, dias_historico: 2, elegivel: true }),
      expect.objectContaining({ dimensao: 'streamer', nome: 'canal', horas_assistidas: 300, media_7d_horas_assistidas: 75, crescimento_horas: 4, crescimento_espectadores: 2, dias_historico: 2, elegivel: true }),
    ]);
    const bestTimes = await readRows(lake.store, 'gold/melhores_horarios/dt=2026-11-29/', 'hora_dia');
    expect(bestTimes).toEqual([
      expect.objectContaining({ nome_categoria: 'Just Chatting', hora_dia: 12, periodo_dia: 'Afternoon', canais_ao_vivo: 1, espectadores_medios: 300, espectadores_por_canal: 300, horas_assistidas: 300, amostras: 2 }),
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
        `read_parquet('${lake.store.pathOf(goldKey(table, '2026-11-29')).replaceAll("'", "''")}', hive_partitioning = false)`;
      return [
        ...(await checkModelRules(engine, 'gold_tendencias_diario', relation('tendencias_diario'))),
        ...(await checkModelRules(engine, 'gold_melhores_horarios', relation('melhores_horarios'))),
      ];
    });
    expect(violations).toEqual([]);
  });
});
