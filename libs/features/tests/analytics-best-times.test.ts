import { GOLD_TABLES, goldMelhoresHorariosRowSchema, silverStreamRowSchema } from '@twitch-pipeline/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkModelRules } from '../src/index';
import { AnalyticsSandbox, rounded, silverSample } from './support/analytics-fixtures';

const sample = (id_snapshot: string, hora_dia: number, nome_categoria: string, idioma: string, nome_streamer: string, espectadores: number) =>
  silverSample({ id_snapshot, hora_dia, nome_categoria, idioma, nome_streamer, espectadores });

/**
 * Five 30-minute snapshots of 2026-11-20: S0 at 09:00, S1 21:00, S2 21:30, S3 22:00, S4 22:30.
 *
 * | snapshot | Chess pt          | Chess en | Just Chatting pt   |
 * |----------|-------------------|----------|--------------------|
 * | S0 (9h)  | g 10              |          |                    |
 * | S1 (21h) | a 100, b 50       | d 300    | e 1000             |
 * | S2 (21h) | a 120             |          | e 1000             |
 * | S3 (22h) |                   |          | e 1000, f 10 + 5   |
 * | S4 (22h) | c 40              |          | e 1000             |
 *
 * In S3, f has two stream ids (10 and 5 viewers): one channel. Hour 21 has 2 snapshots, hour 22
 * has 2, hour 9 has 1. Per hour: channels and viewers summed over its snapshots, divided by its
 * snapshots; viewers per channel = viewers ÷ channels; hours watched = the estimate's hours of
 * that category, language and hour (`estimated` below).
 * - Chess pt 9h:  1/1 = 1 channel, 10 viewers, 10 per channel, 4.5 h.
 * - Chess pt 21h: 3/2 = 1.5 channels, 270/2 = 135 viewers, 270/3 = 90 per channel, 90 + 50 = 140 h.
 * - Chess pt 22h: 1/2 = 0.5 channels (absent from S3), 40/2 = 20 viewers, 40 per channel, 25 h.
 * - Chess en 21h: 1/2 = 0.5 channels, 300/2 = 150 viewers, 300 per channel, 160 h.
 * - Just Chatting pt 21h: 2/2 = 1 channel, 2000/2 = 1000 viewers, 1000 per channel, 980 h.
 * - Just Chatting pt 22h: 3/2 = 1.5 channels, 2015/2 = 1007.5 viewers, 2015/3 = 671.67 per channel, 1010 h.
 * - Chess pt 20h has estimated hours (a lead-in) but no sample: it has no row here.
 */
const silver = [
  sample('S0', 9, 'Chess', 'pt', 'g', 10),
  sample('S1', 21, 'Chess', 'pt', 'a', 100),
  sample('S1', 21, 'Chess', 'pt', 'b', 50),
  sample('S1', 21, 'Chess', 'en', 'd', 300),
  sample('S1', 21, 'Just Chatting', 'pt', 'e', 1000),
  sample('S2', 21, 'Chess', 'pt', 'a', 120),
  sample('S2', 21, 'Just Chatting', 'pt', 'e', 1000),
  sample('S3', 22, 'Just Chatting', 'pt', 'e', 1000),
  sample('S3', 22, 'Just Chatting', 'pt', 'f', 10),
  { ...sample('S3', 22, 'Just Chatting', 'pt', 'f', 5), id_stream: 'f-2' },
  sample('S4', 22, 'Chess', 'pt', 'c', 40),
  sample('S4', 22, 'Just Chatting', 'pt', 'e', 1000),
];

/** The estimate per stream and local hour (int_horas_estimadas), as the gold step hands it over. */
const estimated: [string, string, number, number][] = [
  ['Chess', 'pt', 9, 4.5],
  ['Chess', 'pt', 20, 12],
  ['Chess', 'pt', 21, 90],
  ['Chess', 'pt', 21, 50],
  ['Chess', 'pt', 22, 25],
  ['Chess', 'en', 21, 160],
  ['Just Chatting', 'pt', 21, 980],
  ['Just Chatting', 'pt', 22, 1010],
];

const hour = (
  nome_categoria: string,
  idioma: string,
  hora_dia: number,
  periodo_dia: string,
  [canais_ao_vivo, espectadores_medios, espectadores_por_canal, horas_assistidas, amostras]: number[],
) => ({
  data: '2026-11-20',
  nome_categoria,
  idioma,
  hora_dia,
  periodo_dia,
  canais_ao_vivo,
  espectadores_medios,
  espectadores_por_canal,
  horas_assistidas,
  amostras,
});

describe('int_canais_por_coleta', () => {
  it('counts the channels of each snapshot once per category and language, the same in any windows of hours', async () => {
    // prepare
    const sandbox = await AnalyticsSandbox.open();
    await sandbox.view('silver_streams', silver, silverStreamRowSchema);

    try {
      // act
      const whole = await sandbox.channelsPerSnapshot('whole_day', [[0, 24]]);
      const hourly = await sandbox.channelsPerSnapshot('hour_by_hour', Array.from({ length: 24 }, (_, hour): [number, number] => [hour, hour + 1]));

      // assess
      expect(whole).toEqual([
        { id_snapshot: 'S0', hora_dia: 9, periodo_dia: 'Morning', nome_categoria: 'Chess', idioma: 'pt', canais: 1, espectadores: 10 },
        { id_snapshot: 'S1', hora_dia: 21, periodo_dia: 'Night', nome_categoria: 'Chess', idioma: 'en', canais: 1, espectadores: 300 },
        { id_snapshot: 'S1', hora_dia: 21, periodo_dia: 'Night', nome_categoria: 'Chess', idioma: 'pt', canais: 2, espectadores: 150 },
        { id_snapshot: 'S1', hora_dia: 21, periodo_dia: 'Night', nome_categoria: 'Just Chatting', idioma: 'pt', canais: 1, espectadores: 1000 },
        { id_snapshot: 'S2', hora_dia: 21, periodo_dia: 'Night', nome_categoria: 'Chess', idioma: 'pt', canais: 1, espectadores: 120 },
        { id_snapshot: 'S2', hora_dia: 21, periodo_dia: 'Night', nome_categoria: 'Just Chatting', idioma: 'pt', canais: 1, espectadores: 1000 },
        { id_snapshot: 'S3', hora_dia: 22, periodo_dia: 'Night', nome_categoria: 'Just Chatting', idioma: 'pt', canais: 2, espectadores: 1015 },
        { id_snapshot: 'S4', hora_dia: 22, periodo_dia: 'Night', nome_categoria: 'Chess', idioma: 'pt', canais: 1, espectadores: 40 },
        { id_snapshot: 'S4', hora_dia: 22, periodo_dia: 'Night', nome_categoria: 'Just Chatting', idioma: 'pt', canais: 1, espectadores: 1000 },
      ]);
      expect(hourly).toEqual(whole);
    } finally {
      await sandbox.close();
    }
  });

  it("counts a channel's repeats in its own group when one snapshot's rows fall in two hours", async () => {
    // prepare: a crawl that crossed 11:00, h listed twice before it, i once after it
    const sandbox = await AnalyticsSandbox.open();
    const crossing = [
      sample('S5', 10, 'Chess', 'pt', 'h', 10),
      { ...sample('S5', 10, 'Chess', 'pt', 'h', 5), id_stream: 'h-2' },
      sample('S5', 11, 'Chess', 'pt', 'i', 20),
    ];
    await sandbox.view('silver_streams', crossing, silverStreamRowSchema);

    try {
      // act
      const rows = await sandbox.channelsPerSnapshot('crossing', [[0, 24]]);

      // assess
      expect(rows).toEqual([
        { id_snapshot: 'S5', hora_dia: 10, periodo_dia: 'Morning', nome_categoria: 'Chess', idioma: 'pt', canais: 1, espectadores: 15 },
        { id_snapshot: 'S5', hora_dia: 11, periodo_dia: 'Morning', nome_categoria: 'Chess', idioma: 'pt', canais: 1, espectadores: 20 },
      ]);
    } finally {
      await sandbox.close();
    }
  });
});

describe('gold_melhores_horarios', () => {
  let sandbox: AnalyticsSandbox;

  beforeAll(async () => {
    sandbox = await AnalyticsSandbox.open();
    await sandbox.view('silver_streams', silver, silverStreamRowSchema);
    await sandbox.channelsPerSnapshot('int_canais_por_coleta', [
      [0, 12],
      [12, 22],
      [22, 24],
    ]);
    const values = estimated.map(([categoria, idioma, hora, horas]) => `(DATE '2026-11-20', '${categoria}', '${idioma}', ${hora}, ${horas})`);
    await sandbox.engine.run(
      `CREATE OR REPLACE VIEW int_horas_estimadas AS SELECT data, nome_categoria, idioma, hora_dia, CAST(horas AS DECIMAL(38, 9)) AS horas_exatas
       FROM (VALUES ${values.join(', ')}) AS estimate(data, nome_categoria, idioma, hora_dia, horas)`,
    );
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('measures audience and competition per category, language and hour, hand-checked', async () => {
    // prepare
    const orderBy = 'nome_categoria, idioma, hora_dia';

    // act
    const rows = await sandbox.model('gold_melhores_horarios.sql', undefined, orderBy);

    // assess
    expect(rows.map((row) => rounded(row))).toEqual([
      hour('Chess', 'en', 21, 'Night', [0.5, 150, 300, 160, 2]),
      hour('Chess', 'pt', 9, 'Morning', [1, 10, 10, 4.5, 1]),
      hour('Chess', 'pt', 21, 'Night', [1.5, 135, 90, 140, 2]),
      hour('Chess', 'pt', 22, 'Night', [0.5, 20, 40, 25, 2]),
      hour('Just Chatting', 'pt', 21, 'Night', [1, 1000, 1000, 980, 2]),
      hour('Just Chatting', 'pt', 22, 'Night', [1.5, 1007.5, 671.666667, 1010, 2]),
    ]);
    for (const row of rows) expect(goldMelhoresHorariosRowSchema.safeParse(row).success).toBe(true);
  });

  it('passes the column rules of models/schema.json', async () => {
    // prepare
    const table = await sandbox.materialize('melhores', 'gold_melhores_horarios.sql');

    // act
    const violations = await checkModelRules(sandbox.engine, 'gold_melhores_horarios', table);

    // assess
    expect(violations).toEqual([]);
  });

  it('answers best_times for one category and language, least crowded audience first, in any case', async () => {
    // prepare
    const modelRows = await sandbox.model('gold_melhores_horarios.sql', undefined, 'hora_dia');
    await sandbox.view('gold_melhores_horarios', modelRows, goldMelhoresHorariosRowSchema);

    // act
    const chessPt = await sandbox.saved('best_times', { category: 'chess', language: 'pt' });
    const chessAnyLanguage = await sandbox.saved('best_times', { category: 'Chess' });
    const chessPtUpper = await sandbox.saved('best_times', { category: 'CHESS', language: 'PT' });

    // assess
    expect(chessPt.map((row) => [row.hora_dia, row.espectadores_por_canal, row.canais_ao_vivo, row.espectadores_medios])).toEqual([
      [21, 90, 1.5, 135],
      [22, 40, 0.5, 20],
      [9, 10, 1, 10],
    ]);
    expect(chessAnyLanguage.map((row) => [row.idioma, row.hora_dia])).toEqual([
      ['en', 21],
      ['pt', 21],
      ['pt', 22],
      ['pt', 9],
    ]);
    expect(chessPtUpper).toEqual(chessPt);
  });

  it('segments audience by language, content type and period in audience_segments', async () => {
    // prepare
    const metrics = (horas: number, minutos: number, pico: number) => ({
      total_streams: 1,
      minutos_transmitidos: minutos,
      horas_assistidas: horas,
      media_espectadores: (horas * 60) / minutos,
      pico_espectadores: pico,
      amostras: 1,
    });
    await sandbox.view(
      'gold_idiomas_periodo',
      [
        { data: '2026-11-19', idioma: 'pt', tipo_conteudo: 'Game', periodo_dia: 'Night', ...metrics(300, 600, 50) },
        { data: '2026-11-20', idioma: 'pt', tipo_conteudo: 'Game', periodo_dia: 'Night', ...metrics(100, 600, 40) },
        { data: '2026-11-20', idioma: 'pt', tipo_conteudo: 'Non-Game', periodo_dia: 'Morning', ...metrics(100, 300, 30) },
        { data: '2026-11-20', idioma: 'en', tipo_conteudo: 'Game', periodo_dia: 'Dawn', ...metrics(50, 60, 70) },
      ],
      GOLD_TABLES.idiomas_periodo,
    );

    // act
    const rows = await sandbox.saved('audience_segments');

    // assess
    expect(rows).toEqual([
      { idioma: 'en', tipo_conteudo: 'Game', periodo_dia: 'Dawn', horas_assistidas: 50, media_espectadores: 50, pico_espectadores: 70, pct_horas_idioma: 100 },
      { idioma: 'pt', tipo_conteudo: 'Game', periodo_dia: 'Night', horas_assistidas: 400, media_espectadores: 20, pico_espectadores: 50, pct_horas_idioma: 80 },
      { idioma: 'pt', tipo_conteudo: 'Non-Game', periodo_dia: 'Morning', horas_assistidas: 100, media_espectadores: 20, pico_espectadores: 30, pct_horas_idioma: 20 },
    ]);
  });
});
