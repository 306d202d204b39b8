import { GOLD_TABLES, goldMelhoresHorariosRowSchema } from '@twitch-pipeline/schemas';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsSandbox, categoryDay, rounded, streamerDay } from './support/analytics-fixtures';

// Hand-made lake for the channel_* and category_* saved queries. 2026-11-30 is a Monday,
// 2026-12-01 a Tuesday, 2026-12-07 a Monday again.
// a's broadcast of 11-30 went on past midnight: 12-01 sampled it too.
const streamers = [
  streamerDay('2026-11-30', 'a', 100, 120),
  streamerDay('2026-12-01', 'a', 50, 60, true),
  streamerDay('2026-12-07', 'a', 10, 60),
  streamerDay('2026-11-30', 'b', 5, 30),
];

function streamsDay(data: string, nome_streamer: string, nome_categoria: string, idioma: string, horas: number, minutos: number) {
  return {
    data,
    nome_streamer,
    nome_categoria,
    tipo_conteudo: nome_categoria === 'Just Chatting' ? 'Non-Game' : 'Game',
    periodo_dia: 'Night',
    idioma,
    total_streams: 1,
    minutos_transmitidos: minutos,
    horas_assistidas: horas,
    media_espectadores: (horas * 60) / minutos,
    pico_espectadores: Math.ceil((horas * 60) / minutos),
    amostras: Math.max(1, Math.round(minutos / 30)),
  };
}

/**
 * | channel | day   | category      | language | hours watched | minutes |
 * |---------|-------|---------------|----------|---------------|---------|
 * | a       | 11-30 | Chess         | pt       | 80            | 60      |
 * | a       | 11-30 | Just Chatting | pt       | 20            | 60      |
 * | a       | 12-01 | Chess         | en       | 50            | 60      |
 * | b       | 11-30 | Chess         | pt       | 200           | 60      |
 * | c       | 11-30 | Chess         | pt       | 10            | 600     |
 * | d       | 11-30 | Chess         | en       | 10            | 60      |
 */
const streams = [
  streamsDay('2026-11-30', 'a', 'Chess', 'pt', 80, 60),
  streamsDay('2026-11-30', 'a', 'Just Chatting', 'pt', 20, 60),
  streamsDay('2026-12-01', 'a', 'Chess', 'en', 50, 60),
  streamsDay('2026-11-30', 'b', 'Chess', 'pt', 200, 60),
  streamsDay('2026-11-30', 'c', 'Chess', 'pt', 10, 600),
  streamsDay('2026-11-30', 'd', 'Chess', 'en', 10, 60),
];

const categories = [categoryDay('2026-11-30', 'Chess', 300, 780), categoryDay('2026-12-01', 'Chess', 50, 60)];

function bestTimesHour(data: string, idioma: string, hora_dia: number, [canais, espectadores, horas, amostras]: number[]) {
  return {
    data,
    nome_categoria: 'Chess',
    idioma,
    hora_dia,
    periodo_dia: hora_dia < 12 ? 'Morning' : 'Night',
    canais_ao_vivo: canais!,
    espectadores_medios: espectadores!,
    espectadores_por_canal: espectadores! / canais!,
    horas_assistidas: horas!,
    amostras: amostras!,
  };
}

const bestTimes = [
  bestTimesHour('2026-11-30', 'pt', 21, [2, 300, 150, 2]),
  bestTimesHour('2026-11-30', 'en', 21, [1, 100, 50, 2]),
  bestTimesHour('2026-12-01', 'pt', 21, [1, 60, 60, 1]),
  bestTimesHour('2026-11-30', 'pt', 9, [1, 10, 10, 2]),
  // Another category at 9h on the day Chess had no channel live then: that day's hour counts for Chess as 0.
  { ...bestTimesHour('2026-12-01', 'pt', 9, [1, 40, 40, 2]), nome_categoria: 'Art' },
];

function channelHour(data: string, nome_streamer: string, hora_dia: number, horas: number, minutos: number, amostras: number) {
  return {
    data,
    nome_streamer,
    hora_dia,
    total_streams: 1,
    minutos_transmitidos: minutos,
    horas_assistidas: horas,
    media_espectadores: (horas * 60) / minutos,
    pico_espectadores: Math.ceil((horas * 60) / minutos),
    amostras,
  };
}

// 2026-12-07 is a Monday outside the range; b shares a's hour on 11-30.
const channelHours = [
  channelHour('2026-11-30', 'a', 21, 110, 60, 2),
  channelHour('2026-12-01', 'a', 10, 20, 30, 1),
  channelHour('2026-12-07', 'a', 21, 500, 30, 1),
  channelHour('2026-11-30', 'b', 21, 999, 60, 2),
];

const RANGE = { first_date: '2026-11-30', last_date: '2026-12-05' };
let sandbox: AnalyticsSandbox;

async function lakeView(name: string, rows: object[], schema: z.ZodObject<z.ZodRawShape>): Promise<void> {
  // Only the columns the rows set, typed by the table's schema: the queries read no others.
  const columns = schema.pick(Object.fromEntries(Object.keys(rows[0]!).map((key) => [key, true])) as never) as z.ZodObject<z.ZodRawShape>;
  await sandbox.view(`${name}_rows`, rows as never, columns);
  // The lake's views carry the dt partition beside the data column; here dt is the row's date.
  await sandbox.engine.run(`CREATE OR REPLACE VIEW ${name} AS SELECT *, CAST(data AS DATE) AS dt FROM ${name}_rows`);
}

async function saved(name: string, given: Record<string, string>) {
  return (await sandbox.saved(name, given)).map((row) => rounded(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]))));
}

describe('profile saved queries on hand-made Parquet with bound parameters', () => {
  beforeAll(async () => {
    sandbox = await AnalyticsSandbox.open();
    await lakeView('gold_streamers_diario', streamers, GOLD_TABLES.streamers_diario as never);
    await lakeView('gold_streams_diario', streams, GOLD_TABLES.streams_diario as never);
    await lakeView('gold_categorias_diario', categories, GOLD_TABLES.categorias_diario as never);
    await lakeView('gold_melhores_horarios', bestTimes, goldMelhoresHorariosRowSchema as never);
    await lakeView('gold_canais_hora', channelHours, GOLD_TABLES.canais_hora as never);
    // One period a day in the fixture, so the category x language x channel rows are the streams rows.
    const categoryChannels = streams.map(({ periodo_dia: _period, ...row }) => row);
    await lakeView('gold_categorias_canais', categoryChannels, GOLD_TABLES.categorias_canais as never);
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it('channel_summary adds up the days in the range, and has no row for an unknown login', async () => {
    // act
    const inRange = await saved('channel_summary', { login: 'a', ...RANGE });
    const everything = await saved('channel_summary', { login: 'a' });
    const fromMidnight = await saved('channel_summary', { login: 'a', first_date: '2026-12-01', last_date: '2026-12-01' });
    const unknown = await saved('channel_summary', { login: "a' OR '1'='1" });
    // assess
    expect(inRange).toEqual([
      {
        nome_streamer: 'a',
        primeiro_dia: '2026-11-30',
        ultimo_dia: '2026-12-01',
        dias_ao_vivo: 2,
        // one broadcast across midnight, counted once
        transmissoes: 1,
        horas_transmitidas: 3,
        horas_assistidas: 150,
        media_espectadores: 50,
        pico_espectadores: 50,
      },
    ]);
    expect(everything[0]).toMatchObject({ dias_ao_vivo: 3, transmissoes: 2, horas_transmitidas: 4, horas_assistidas: 160, media_espectadores: 40 });
    // the range's first day counts the broadcast the day before sampled, as the day before is not in it
    expect(fromMidnight[0]).toMatchObject({ dias_ao_vivo: 1, transmissoes: 1 });
    expect(unknown).toEqual([]);
  });

  it('channel_categories gives each category its share of airtime and of hours watched', async () => {
    // act
    const rows = await saved('channel_categories', { login: 'a', ...RANGE });
    // assess
    expect(rows).toEqual([
      { nome_categoria: 'Chess', tipo_conteudo: 'Game', horas_transmitidas: 2, horas_assistidas: 130, media_espectadores: 65, pct_tempo_no_ar: 66.7, pct_horas_assistidas: 86.7 },
      { nome_categoria: 'Just Chatting', tipo_conteudo: 'Non-Game', horas_transmitidas: 1, horas_assistidas: 20, media_espectadores: 20, pct_tempo_no_ar: 33.3, pct_horas_assistidas: 13.3 },
    ]);
  });

  it('channel_heatmap puts each channel hour on its ISO weekday, within the range, from gold_canais_hora', async () => {
    // act
    const inRange = await saved('channel_heatmap', { login: 'a', ...RANGE });
    const everything = await saved('channel_heatmap', { login: 'a' });
    // assess
    expect(inRange).toEqual([
      { dia_semana: 1, hora_dia: 21, horas_transmitidas: 1, media_espectadores: 110, dias: 1, amostras: 2 },
      { dia_semana: 2, hora_dia: 10, horas_transmitidas: 0.5, media_espectadores: 40, dias: 1, amostras: 1 },
    ]);
    expect(everything[0]).toEqual({ dia_semana: 1, hora_dia: 21, horas_transmitidas: 1.5, media_espectadores: 406.7, dias: 2, amostras: 3 });
  });

  it('channel_trend has one row per day live in the range', async () => {
    // act
    const rows = await saved('channel_trend', { login: 'a', ...RANGE });
    // assess
    expect(rows.map((row) => [row.data, row.media_espectadores, row.horas_transmitidas, row.transmissoes])).toEqual([
      ['2026-11-30', 50, 2, 1],
      ['2026-12-01', 50, 1, 1],
    ]);
  });

  it('channel_languages lists its languages, main language first, and channel_rank ranks it within one', async () => {
    // act
    const languages = await saved('channel_languages', { login: 'a', ...RANGE });
    const inPortuguese = await saved('channel_rank', { login: 'a', language: 'pt', ...RANGE });
    const inEnglish = await saved('channel_rank', { login: 'a', language: 'en', ...RANGE });
    const inGerman = await saved('channel_rank', { login: 'a', language: 'de', ...RANGE });
    // assess
    expect(languages).toEqual([
      { idioma: 'pt', horas_transmitidas: 2, horas_assistidas: 100, pct_horas_assistidas: 66.7 },
      { idioma: 'en', horas_transmitidas: 1, horas_assistidas: 50, pct_horas_assistidas: 33.3 },
    ]);
    expect(inPortuguese).toEqual([{ posicao_horas_assistidas: 2, posicao_media_espectadores: 2, canais: 3, horas_assistidas: 100, media_espectadores: 50 }]);
    expect(inEnglish).toEqual([{ posicao_horas_assistidas: 1, posicao_media_espectadores: 1, canais: 2, horas_assistidas: 50, media_espectadores: 50 }]);
    expect(inGerman).toEqual([]);
  });

  it('category_summary, top channels, languages and trend add up the category’s gold rows', async () => {
    // act
    const summary = await saved('category_summary', { category: 'Chess' });
    const top = await saved('category_top_channels', { category: 'Chess' });
    const languages = await saved('category_languages', { category: 'Chess' });
    const trend = await saved('category_trend', { category: 'Chess' });
    const unknown = await saved('category_summary', { category: 'chess' });
    // assess
    expect(summary).toEqual([
      {
        nome_categoria: 'Chess',
        tipo_conteudo: 'Game',
        primeiro_dia: '2026-11-30',
        ultimo_dia: '2026-12-01',
        dias: 2,
        canais: 4,
        horas_transmitidas: 14,
        horas_assistidas: 350,
        media_espectadores: 25,
        pico_espectadores: 200,
      },
    ]);
    expect(top.map((row) => [row.nome_streamer, row.horas_assistidas, row.pct_horas_assistidas])).toEqual([
      ['b', 200, 57.14],
      ['a', 130, 37.14],
      ['c', 10, 2.86],
      ['d', 10, 2.86],
    ]);
    expect(languages.map((row) => [row.idioma, row.canais, row.horas_transmitidas, row.horas_assistidas, row.media_espectadores, row.pct_horas_assistidas])).toEqual([
      ['pt', 3, 12, 290, 24.2, 82.86],
      ['en', 2, 2, 60, 30, 17.14],
    ]);
    expect(trend.map((row) => [row.data, row.horas_assistidas, row.horas_transmitidas, row.media_espectadores])).toEqual([
      ['2026-11-30', 300, 13, 23.1],
      ['2026-12-01', 50, 1, 50],
    ]);
    expect(unknown).toEqual([]);
  });

  it('category_hours adds the languages of an hour, then averages the days sampled at that hour, each weighing the same', async () => {
    // act
    const everything = await saved('category_hours', { category: 'Chess' });
    const firstDay = await saved('category_hours', { category: 'Chess', first_date: '2026-11-30', last_date: '2026-11-30' });
    // assess: at 9h Chess was live on one of the two days, so the other counts as 0; at 21h
    // 12-01's one snapshot weighs as much as 11-30's two
    expect(everything).toEqual([
      { hora_dia: 9, canais_ao_vivo: 0.5, espectadores_medios: 5, espectadores_por_canal: 10, horas_assistidas: 10 },
      { hora_dia: 21, canais_ao_vivo: 2, espectadores_medios: 230, espectadores_por_canal: 115, horas_assistidas: 260 },
    ]);
    expect(firstDay[1]).toEqual({ hora_dia: 21, canais_ao_vivo: 3, espectadores_medios: 400, espectadores_por_canal: 133.3, horas_assistidas: 200 });
  });

  it('best_times averages the days sampled at the hour, each weighing the same, a day without the category at that hour counting as 0', async () => {
    // act
    const chessPt = await saved('best_times', { category: 'Chess', language: 'pt' });
    // assess
    expect(chessPt.find((row) => row.hora_dia === 9)).toMatchObject({ canais_ao_vivo: 0.5, espectadores_medios: 5, espectadores_por_canal: 10, amostras: 4 });
    expect(chessPt.find((row) => row.hora_dia === 21)).toMatchObject({ canais_ao_vivo: 1.5, espectadores_medios: 180, espectadores_por_canal: 120, amostras: 3 });
  });
});
