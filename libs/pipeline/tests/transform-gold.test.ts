import { goldKey } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';
import { runGold, runSilver } from '../src/index';
import { bronzeRow, useTestLake, type LooseBronzeRow, readRows, writeBronzeSnapshot } from './support/transform-lake';

const TZ = 'America/Sao_Paulo';
const lake = useTestLake();

const ana = (collected_at: string, viewer_count: number): LooseBronzeRow =>
  bronzeRow({ collected_at, id: 'a1', user_id: '11', user_login: 'ana', game_id: '509658', game_name: 'Just Chatting', language: 'pt', viewer_count, started_at: '2026-11-29T14:50:00Z' });
const bia = (collected_at: string, id: string, viewer_count: number, started_at: string): LooseBronzeRow =>
  bronzeRow({ collected_at, id, user_id: '22', user_login: 'bia', game_id: '32399', game_name: 'Counter-Strike', language: 'en', viewer_count, started_at });

/**
 * Hand-computed day (São Paulo, UTC-3, 30-minute schedule); hours watched join the snapshots
 * (lead-in at the first sample's level, trapezoids between consecutive snapshots, half an
 * interval of tail when the next snapshot misses a stream, nothing after the newest one):
 *  12:00 local  ana 100 (started 11:50): lead-in 11:50–12:00, 10 min, 16.667 h (Morning)
 *               bia b1 0 (started 07:00): lead-in 11:30–12:00, 30 min, 0 h (Morning)
 *  12:30 local  ana 200: 12:00–12:30 trapezoid 100→200, 75 h;  bia b1 60: 0→60, 15 h
 *               bia b1 is missing at 18:00: tail 12:30–12:45 at 60, 15 h
 *  18:00 local  ana 50: 12:30–18:00 trapezoid 200→50 over 330 min, 687.5 h (Afternoon)
 *               bia b2 (new stream, started 17:40) 30: lead-in 17:40–18:00, 10 h (Afternoon);
 *               missing at 00:00: tail 18:00–18:15 at 30, 7.5 h (Night)
 *  00:00 local the next day  ana 10: 18:00–24:00 trapezoid 50→10, 180 h (Night of 2026-11-29);
 *               the newest snapshot: its own date gets the sample and no hours yet
 */
async function writeGoldenDay(): Promise<void> {
  await writeBronzeSnapshot(lake.store, '2026-11-29T15:00:00Z', [ana('2026-11-29T15:00:00Z', 100), bia('2026-11-29T15:00:00Z', 'b1', 0, '2026-11-29T10:00:00Z')]);
  await writeBronzeSnapshot(lake.store, '2026-11-29T15:30:00Z', [ana('2026-11-29T15:30:00Z', 200), bia('2026-11-29T15:30:00Z', 'b1', 60, '2026-11-29T10:00:00Z')]);
  await writeBronzeSnapshot(lake.store, '2026-11-29T21:00:00Z', [ana('2026-11-29T21:00:00Z', 50), bia('2026-11-29T21:00:00Z', 'b2', 30, '2026-11-29T20:40:00Z')]);
  await writeBronzeSnapshot(lake.store, '2026-11-30T03:00:00Z', [ana('2026-11-30T03:00:00Z', 10)]);
}

type Measures = [number, number, number, number, number, number];
function measures(row: Record<string, unknown>): Measures {
  return [
    row.total_streams as number,
    row.minutos_transmitidos as number,
    Math.round((row.horas_assistidas as number) * 1e4) / 1e4,
    Math.round((row.media_espectadores as number) * 1e4) / 1e4,
    row.pico_espectadores as number,
    row.amostras as number,
  ];
}
const day = (row: Record<string, unknown>) => (row.data as Date).toISOString().slice(0, 10);

describe('gold measures on a hand-computed day', () => {
  it('computes every measure of every table, time-weighted, per date of the pipeline zone', async () => {
    // prepare
    await writeGoldenDay();
    const silver = await runSilver({ store: lake.store, timeZone: TZ });

    // act
    const gold = await runGold({ store: lake.store, dates: silver.dates });

    // assess
    expect(silver.dates).toEqual(['2026-11-29', '2026-11-30']);
    expect(gold.tables).toMatchObject({ streams_diario: 7, streamers_diario: 3, categorias_diario: 3, idiomas_periodo: 7 });
    const streamers = await readRows(lake.store, 'gold/streamers_diario/', 'data, nome_streamer');
    expect(streamers.map((r) => [day(r), r.nome_streamer, ...measures(r)])).toEqual([
      ['2026-11-29', 'ana', 1, 730, 959.1667, 78.8356, 200, 3],
      ['2026-11-29', 'bia', 2, 110, 47.5, 25.9091, 60, 3],
      ['2026-11-30', 'ana', 1, 0, 0, 0, 10, 1],
    ]);
    const streams = await readRows(lake.store, 'gold/streams_diario/', 'data, nome_streamer, periodo_dia');
    expect(streams.map((r) => [day(r), r.nome_streamer, r.nome_categoria, r.tipo_conteudo, r.periodo_dia, r.idioma, ...measures(r)])).toEqual([
      ['2026-11-29', 'ana', 'Just Chatting', 'Non-Game', 'Afternoon', 'pt', 1, 360, 762.5, 127.0833, 200, 2],
      ['2026-11-29', 'ana', 'Just Chatting', 'Non-Game', 'Morning', 'pt', 1, 10, 16.6667, 100, 100, 0],
      ['2026-11-29', 'ana', 'Just Chatting', 'Non-Game', 'Night', 'pt', 1, 360, 180, 30, 50, 1],
      ['2026-11-29', 'bia', 'Counter-Strike', 'Game', 'Afternoon', 'en', 2, 65, 40, 36.9231, 60, 2],
      ['2026-11-29', 'bia', 'Counter-Strike', 'Game', 'Morning', 'en', 1, 30, 0, 0, 0, 0],
      ['2026-11-29', 'bia', 'Counter-Strike', 'Game', 'Night', 'en', 1, 15, 7.5, 30, 30, 1],
      ['2026-11-30', 'ana', 'Just Chatting', 'Non-Game', 'Dawn', 'pt', 1, 0, 0, 0, 10, 1],
    ]);
    const categories = await readRows(lake.store, 'gold/categorias_diario/', 'data, nome_categoria');
    expect(categories.map((r) => [day(r), r.nome_categoria, r.tipo_conteudo, ...measures(r)])).toEqual([
      ['2026-11-29', 'Counter-Strike', 'Game', 2, 110, 47.5, 25.9091, 60, 3],
      ['2026-11-29', 'Just Chatting', 'Non-Game', 1, 730, 959.1667, 78.8356, 200, 3],
      ['2026-11-30', 'Just Chatting', 'Non-Game', 1, 0, 0, 0, 10, 1],
    ]);
    const languages = await readRows(lake.store, 'gold/idiomas_periodo/', 'data, idioma, periodo_dia');
    expect(languages.map((r) => [day(r), r.idioma, r.tipo_conteudo, r.periodo_dia, ...measures(r)])).toEqual([
      ['2026-11-29', 'en', 'Game', 'Afternoon', 2, 65, 40, 36.9231, 60, 2],
      ['2026-11-29', 'en', 'Game', 'Morning', 1, 30, 0, 0, 0, 0],
      ['2026-11-29', 'en', 'Game', 'Night', 1, 15, 7.5, 30, 30, 1],
      ['2026-11-29', 'pt', 'Non-Game', 'Afternoon', 1, 360, 762.5, 127.0833, 200, 2],
      ['2026-11-29', 'pt', 'Non-Game', 'Morning', 1, 10, 16.6667, 100, 100, 0],
      ['2026-11-29', 'pt', 'Non-Game', 'Night', 1, 360, 180, 30, 50, 1],
      ['2026-11-30', 'pt', 'Non-Game', 'Dawn', 1, 0, 0, 0, 10, 1],
    ]);
  });

  it('folds a late snapshot into its date by rewriting the partition whole, and reruns give identical rows', async () => {
    // prepare
    await writeGoldenDay();
    await runGold({ store: lake.store, dates: (await runSilver({ store: lake.store, timeZone: TZ })).dates });
    const late = '2026-11-29T21:30:00Z';
    await writeBronzeSnapshot(lake.store, late, [bia(late, 'b2', 90, '2026-11-29T20:40:00Z')]);

    // act
    const silver = await runSilver({ store: lake.store, timeZone: TZ });
    await runGold({ store: lake.store, dates: silver.dates });
    const allGold = () => Promise.all(['streams_diario', 'streamers_diario', 'categorias_diario', 'idiomas_periodo'].map((table) => readRows(lake.store, `gold/${table}/`, 'ALL')));
    const first = await allGold();
    await runGold({ store: lake.store, dates: ['2026-11-29', '2026-11-30'] });
    const second = await allGold();

    // assess: the late snapshot is the last of 2026-11-29, so the first of 2026-11-30 (its next
    // snapshot) is rebuilt too; bia's b2 gains 18:00–18:30 (30→90, 30 h) and a tail at 90 (22.5 h)
    expect(silver.dates).toEqual(['2026-11-29', '2026-11-30']);
    const bia29 = (await readRows(lake.store, goldKey('streamers_diario', '2026-11-29'), 'nome_streamer')).find((r) => r.nome_streamer === 'bia')!;
    expect(measures(bia29)).toEqual([2, 140, 92.5, 39.6429, 90, 4]);
    expect(second).toEqual(first);
  });

  it('settles the open tail of a date when the next snapshot lands after midnight', async () => {
    // prepare: the day without its next snapshot: ana is still live at 18:00, so her hours stop there
    await writeGoldenDay();
    await lake.store.delete('raw/streams/dt=2026-11-30/20261130T030000Z.parquet');
    await runGold({ store: lake.store, dates: (await runSilver({ store: lake.store, timeZone: TZ })).dates });
    const anaOf = async () => (await readRows(lake.store, goldKey('streamers_diario', '2026-11-29'), 'nome_streamer')).find((r) => r.nome_streamer === 'ana')!;
    const open = measures(await anaOf());
    await writeBronzeSnapshot(lake.store, '2026-11-30T03:00:00Z', [ana('2026-11-30T03:00:00Z', 10)]);

    // act
    const silver = await runSilver({ store: lake.store, timeZone: TZ });
    await runGold({ store: lake.store, dates: silver.dates });

    // assess: the first snapshot of 2026-11-30 rebuilds 2026-11-29 too, which gains 18:00–24:00
    expect(open).toEqual([1, 370, 779.1667, 126.3514, 200, 3]);
    expect(silver.dates).toEqual(['2026-11-29', '2026-11-30']);
    expect(measures(await anaOf())).toEqual([1, 730, 959.1667, 78.8356, 200, 3]);
  });

  it('writes empty gold partitions for a date without silver objects', async () => {
    // act
    const gold = await runGold({ store: lake.store, dates: ['2026-01-01'] });

    // assess
    expect(gold.tables).toEqual({ streams_diario: 0, streamers_diario: 0, categorias_diario: 0, idiomas_periodo: 0, canais_hora: 0, categorias_canais: 0, tendencias_diario: 0, melhores_horarios: 0 });
    expect(await lake.store.exists(goldKey('idiomas_periodo', '2026-01-01'))).toBe(true);
  });

  it('builds the analytics tables of each date, the trends of a day reading the days before it', async () => {
    // prepare
    await writeGoldenDay();
    const silver = await runSilver({ store: lake.store, timeZone: TZ });

    // act
    const gold = await runGold({ store: lake.store, dates: silver.dates });

    // assess
    expect(gold.tables.melhores_horarios).toBeGreaterThan(0);
    const trends = await readRows(lake.store, 'gold/tendencias_diario/', 'data, dimensao, nome');
    const ana30 = trends.find((r) => day(r) === '2026-11-30' && r.dimensao === 'streamer' && r.nome === 'ana')!;
    expect(ana30.dias_historico).toBe(1);
    expect(Math.round((ana30.media_7d_horas_assistidas as number) * 1e4) / 1e4).toBe(959.1667);
    const ana29 = trends.find((r) => day(r) === '2026-11-29' && r.dimensao === 'streamer' && r.nome === 'ana')!;
    expect(ana29.dias_historico).toBe(0);
  });

  it.each(['29/11/2026', '2026-02-30'])('rejects the date %s before touching the lake', async (date) => {
    // act / assess: a day the calendar lacks, too, would otherwise fail deep in the step as a failed date
    await expect(runGold({ store: lake.store, dates: [date] })).rejects.toThrow(`invalid dates (expected days of the calendar as YYYY-MM-DD): ${date}`);
    expect(await lake.store.list('gold/')).toEqual([]);
  });
});
