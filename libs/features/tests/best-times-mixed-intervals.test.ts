import type { Row } from '@twitch-pipeline/duckdb';
import { goldMelhoresHorariosRowSchema, silverStreamRowSchema } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';
import { AnalyticsSandbox, silverSample } from './support/analytics-fixtures';

/**
 * Three days of hour 21 with the same audience in every snapshot of a day, each day collected
 * every `intervals[day]` minutes (60 / interval snapshots in the hour):
 *
 * | day   | Chess pt       | Chess en | Art pt |
 * |-------|----------------|----------|--------|
 * | 11-20 | a 100, b 100   | c 60     |        |
 * | 11-21 | a 500          |          |        |
 * | 11-22 |                |          | z 50   |
 *
 * Each day's hour weighs the same: on 11-22 Chess had no channel live, so it counts as 0.
 * - best_times Chess pt: (2 + 1 + 0) / 3 = 1 channel, (200 + 500 + 0) / 3 = 233.3 viewers, 700 / 3 = 233.3 per channel.
 * - category_hours Chess: (3 + 1 + 0) / 3 = 1.33 channels, (260 + 500 + 0) / 3 = 253.3 viewers, 760 / 4 = 190 per channel.
 */
const audienceAt21: Record<string, [string, string, string, number][]> = {
  '2026-11-20': [
    ['Chess', 'pt', 'a', 100],
    ['Chess', 'pt', 'b', 100],
    ['Chess', 'en', 'c', 60],
  ],
  '2026-11-21': [['Chess', 'pt', 'a', 500]],
  '2026-11-22': [['Art', 'pt', 'z', 50]],
};

/** Runs `queries` on the gold of `audienceAt21`, each day collected at its interval in minutes. */
async function onDaysCollectedEvery(intervals: Record<string, number>, queries: [string, Record<string, string>][]): Promise<Row[][]> {
  const sandbox = await AnalyticsSandbox.open();
  try {
    const silver = Object.entries(audienceAt21).flatMap(([data, audience]) => {
      const interval = intervals[data]!;
      return Array.from({ length: 60 / interval }, (_, index) =>
        audience.map(([nome_categoria, idioma, nome_streamer, espectadores]) => ({
          ...silverSample({ id_snapshot: `${data} 21:${String(index * interval).padStart(2, '0')}`, hora_dia: 21, nome_categoria, idioma, nome_streamer, espectadores }),
          data,
          intervalo_coleta_minutos: interval,
          intervalo_minutos: interval,
          horas_assistidas: (espectadores * interval) / 60,
        })),
      ).flat();
    });
    await sandbox.view('silver_streams', silver, silverStreamRowSchema);
    await sandbox.channelsPerSnapshot('int_canais_por_coleta', [[0, 24]]);
    // A fully covered hour's estimate: its viewers for the whole hour, whatever the interval.
    const values = Object.entries(audienceAt21).flatMap(([data, audience]) =>
      audience.map(([categoria, idioma, , espectadores]) => `(DATE '${data}', '${categoria}', '${idioma}', 21, ${espectadores})`),
    );
    await sandbox.engine.run(
      `CREATE OR REPLACE VIEW int_horas_estimadas AS SELECT data, nome_categoria, idioma, hora_dia, CAST(horas AS DECIMAL(38, 9)) AS horas_exatas
       FROM (VALUES ${values.join(', ')}) AS estimate(data, nome_categoria, idioma, hora_dia, horas)`,
    );
    const gold = await sandbox.model('gold_melhores_horarios.sql', undefined, 'data, nome_categoria, idioma, hora_dia');
    await sandbox.view('gold_melhores_horarios', gold, goldMelhoresHorariosRowSchema);
    const answers: Row[][] = [];
    for (const [name, given] of queries) answers.push(await sandbox.saved(name, given));
    return answers;
  } finally {
    await sandbox.close();
  }
}

describe('best_times and category_hours over days collected at different intervals', () => {
  const queries: [string, Record<string, string>][] = [
    ['best_times', { category: 'Chess', language: 'pt' }],
    ['category_hours', { category: 'Chess' }],
  ];

  it('weigh a day collected every 10 minutes as much as one collected every 30', async () => {
    // prepare: the same audience, the last two days collected every 10 minutes or every 30
    const mixed = { '2026-11-20': 30, '2026-11-21': 10, '2026-11-22': 10 };
    const steady = { '2026-11-20': 30, '2026-11-21': 30, '2026-11-22': 30 };

    // act
    const [mixedBestTimes, mixedCategoryHours] = await onDaysCollectedEvery(mixed, queries);
    const [steadyBestTimes, steadyCategoryHours] = await onDaysCollectedEvery(steady, queries);

    // assess: the same averages, only the count of snapshots differing
    const chessPt = { nome_categoria: 'Chess', idioma: 'pt', hora_dia: 21, periodo_dia: 'Night', canais_ao_vivo: 1, espectadores_medios: 233.3, espectadores_por_canal: 233.3, horas_assistidas: 700 };
    expect(mixedBestTimes).toEqual([{ ...chessPt, amostras: 2 + 6 + 6 }]);
    expect(steadyBestTimes).toEqual([{ ...chessPt, amostras: 2 + 2 + 2 }]);
    const chess = { hora_dia: 21, canais_ao_vivo: 1.33, espectadores_medios: 253.3, espectadores_por_canal: 190, horas_assistidas: 760 };
    expect(mixedCategoryHours).toEqual([chess]);
    expect(steadyCategoryHours).toEqual([chess]);
  });
});
