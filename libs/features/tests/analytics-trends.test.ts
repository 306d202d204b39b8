import { GOLD_TABLES, goldTendenciasDiarioRowSchema } from '@twitch-pipeline/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsModelParameters, checkModelRules, trendWindowDates } from '../src/index';
import { AnalyticsSandbox, categoryDay, rounded, streamerDay } from './support/analytics-fixtures';

/**
 * A hand-checked history for 2026-11-20. The lake starts on 11-16, so the trailing window
 * (11-13..11-19) has 4 days with data for each dimension; rows of 11-12 are outside it.
 *
 * Categories (hours / minutes streamed per day):
 * - Just Chatting: 100/600 on 11-16, 11-17; 120/600 on 11-18; 80/600 on 11-19; today 200/600.
 *   Baseline 400 h / 4 days = 100 h; 400 × 60 / 2400 = 10 viewers. Today 20 viewers. Growth 2, 2.
 * - Chess: 40/240 on 11-18 only; today 30/180. Baseline 40 / 4 = 10 h, 10 viewers; today 10 viewers.
 *   Growth 3 and 1, but 30 h < 50 h: not elegivel.
 * - Valorant: 10000/6000 on 11-12 (outside the window); today 120/360. Baseline 0 h, no viewers
 *   baseline: growth null, not elegivel.
 * Channels:
 * - gaules: 20/120 on 11-17, 40/240 on 11-19 (999/60 on 11-12, outside); today 60/120.
 *   Baseline 60 / 4 = 15 h; 60 × 60 / 360 = 10 viewers. Today 30 viewers. Growth 4 and 3, elegivel.
 * - casimiro: 10/60 every day 11-16..11-19; today 5/60. Baseline 10 h, 10 viewers; today 5: growth 0.5.
 * - tiny: 0.2/120 on 11-19; today 2/120. Baseline 0.05 h: growth 40, but 2 h < 10 h: not elegivel.
 * - novo: 0.5/60 on 11-19; today 30/120. Baseline 0.125 h and 0.5 viewers: growth 240 and 30, but
 *   the baseline is under a tenth of 10 h: not elegivel.
 */
const history = {
  categories: [
    categoryDay('2026-11-12', 'Valorant', 10_000, 6000),
    categoryDay('2026-11-16', 'Just Chatting', 100, 600),
    categoryDay('2026-11-17', 'Just Chatting', 100, 600),
    categoryDay('2026-11-18', 'Just Chatting', 120, 600),
    categoryDay('2026-11-18', 'Chess', 40, 240),
    categoryDay('2026-11-19', 'Just Chatting', 80, 600),
    categoryDay('2026-11-20', 'Just Chatting', 200, 600),
    categoryDay('2026-11-20', 'Chess', 30, 180),
    categoryDay('2026-11-20', 'Valorant', 120, 360),
  ],
  streamers: [
    streamerDay('2026-11-12', 'gaules', 999, 60),
    streamerDay('2026-11-16', 'casimiro', 10, 60),
    streamerDay('2026-11-17', 'casimiro', 10, 60),
    streamerDay('2026-11-17', 'gaules', 20, 120),
    streamerDay('2026-11-18', 'casimiro', 10, 60),
    streamerDay('2026-11-19', 'casimiro', 10, 60),
    streamerDay('2026-11-19', 'gaules', 40, 240),
    streamerDay('2026-11-19', 'tiny', 0.2, 120),
    streamerDay('2026-11-19', 'novo', 0.5, 60),
    streamerDay('2026-11-20', 'casimiro', 5, 60),
    streamerDay('2026-11-20', 'gaules', 60, 120),
    streamerDay('2026-11-20', 'tiny', 2, 120),
    streamerDay('2026-11-20', 'novo', 30, 120),
  ],
};

describe('gold_tendencias_diario', () => {
  let sandbox: AnalyticsSandbox;

  beforeAll(async () => {
    sandbox = await AnalyticsSandbox.open();
    await sandbox.view('gold_categorias_diario', history.categories, GOLD_TABLES.categorias_diario);
    await sandbox.view('gold_streamers_diario', history.streamers, GOLD_TABLES.streamers_diario);
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('compares each category and channel of the day with its trailing 7 days', async () => {
    // prepare
    const params = analyticsModelParameters('gold_tendencias_diario', '2026-11-20');

    // act
    const rows = await sandbox.model('gold_tendencias_diario.sql', params, 'dimensao, nome');

    // assess
    const trend = (
      dimensao: string,
      nome: string,
      today: [number, number],
      baseline: [number, number | null],
      growth: [number | null, number | null],
      dias_historico: number,
      elegivel: boolean,
    ) => ({
      data: '2026-11-20',
      dimensao,
      nome,
      horas_assistidas: today[0],
      media_espectadores: today[1],
      media_7d_horas_assistidas: baseline[0],
      media_7d_espectadores: baseline[1],
      crescimento_horas: growth[0],
      crescimento_espectadores: growth[1],
      dias_historico,
      elegivel,
    });
    expect(rows.map((row) => rounded(row))).toEqual([
      trend('categoria', 'Chess', [30, 10], [10, 10], [3, 1], 1, false),
      trend('categoria', 'Just Chatting', [200, 20], [100, 10], [2, 2], 4, true),
      trend('categoria', 'Valorant', [120, 20], [0, null], [null, null], 0, false),
      trend('streamer', 'casimiro', [5, 5], [10, 10], [0.5, 0.5], 4, false),
      trend('streamer', 'gaules', [60, 30], [15, 10], [4, 3], 2, true),
      trend('streamer', 'novo', [30, 15], [0.125, 0.5], [240, 30], 1, false),
      trend('streamer', 'tiny', [2, 1], [0.05, 0.1], [40, 10], 1, false),
    ]);
    for (const row of rows) expect(goldTendenciasDiarioRowSchema.safeParse(row).success).toBe(true);
  });

  it('passes the column rules of models/schema.json', async () => {
    // prepare
    const params = analyticsModelParameters('gold_tendencias_diario', '2026-11-20');
    const table = await sandbox.materialize('tendencias', 'gold_tendencias_diario.sql', params);

    // act
    const violations = await checkModelRules(sandbox.engine, 'gold_tendencias_diario', table);

    // assess
    expect(violations).toEqual([]);
  });

  it('has no baseline at all on the first day of the lake', async () => {
    // prepare
    const params = analyticsModelParameters('gold_tendencias_diario', '2026-11-12');

    // act
    const rows = await sandbox.model('gold_tendencias_diario.sql', params, 'dimensao, nome');

    // assess
    expect(rows.map((row) => [row.nome, row.media_7d_horas_assistidas, row.crescimento_horas, row.elegivel])).toEqual([
      ['Valorant', null, null, false],
      ['gaules', null, null, false],
    ]);
  });

  it('ranks only elegivel names in the rising saved queries, the newest day by default', async () => {
    // prepare
    const day = '2026-11-20';

    // act
    await sandbox.view(
      'gold_tendencias_diario',
      await sandbox.model('gold_tendencias_diario.sql', analyticsModelParameters('gold_tendencias_diario', day), 'nome'),
      goldTendenciasDiarioRowSchema,
    );
    const categories = await sandbox.saved('rising_categories');
    const streamers = await sandbox.saved('rising_streamers', { day });

    // assess
    expect(categories.map((row) => [row.nome_categoria, row.crescimento_horas, row.media_7d_horas_assistidas])).toEqual([
      ['Just Chatting', 2, 100],
    ]);
    expect(streamers.map((row) => [row.nome_streamer, row.crescimento_horas, row.crescimento_espectadores])).toEqual([
      ['gaules', 4, 3],
    ]);
  });

  it('keeps the day before as "latest" while the newest day has no elegivel row yet', async () => {
    // prepare: 11-21 has just begun; its one snapshot at midnight gives every name 0 hours
    const day = '2026-11-20';
    const rows = await sandbox.model('gold_tendencias_diario.sql', analyticsModelParameters('gold_tendencias_diario', day), 'nome');
    const justBegun = rows.map((row) => ({ ...row, data: '2026-11-21', horas_assistidas: 0, crescimento_horas: 0, elegivel: false }));
    await sandbox.view('gold_tendencias_diario', [...rows, ...justBegun], goldTendenciasDiarioRowSchema);

    // act
    const categories = await sandbox.saved('rising_categories');
    const streamers = await sandbox.saved('rising_streamers');
    const newestDay = await sandbox.saved('rising_categories', { day: '2026-11-21' });

    // assess
    expect(categories.map((row) => [String(row.data), row.nome_categoria])).toEqual([[day, 'Just Chatting']]);
    expect(streamers.map((row) => [String(row.data), row.nome_streamer])).toEqual([[day, 'gaules']]);
    expect(newestDay).toEqual([]);
  });

  it('reads the 7 days before the date and the date itself', () => {
    // prepare
    const date = '2026-03-03';

    // act
    const window = trendWindowDates(date);

    // assess
    expect(window).toEqual([
      '2026-02-24',
      '2026-02-25',
      '2026-02-26',
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
      '2026-03-03',
    ]);
  });
});
