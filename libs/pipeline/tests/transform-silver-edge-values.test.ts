import { quarantineKey } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';
import { runSilver } from '../src/index';
import { bronzeRow, useTestLake, readRows, writeBronzeSnapshot } from './support/transform-lake';

const TZ = 'America/Sao_Paulo';
const AT = '2026-11-30T02:40:00Z';
const lake = useTestLake();

interface SilverRow {
  id_stream: string;
  nome_streamer: string;
  iniciado_em: Date;
  duracao_minutos: number;
}

describe('runSilver on edge values', () => {
  it('treats an identifier made only of Unicode spaces as missing, and one that merely starts with one as present', async () => {
    // prepare: trim() strips Unicode space separators (not tabs), so only the first three rows are blank
    await writeBronzeSnapshot(lake.store, AT, [
      bronzeRow({ collected_at: AT, id: '\u3000' }),
      bronzeRow({ collected_at: AT, id: '11', user_id: ' \u00a0 ' }),
      bronzeRow({ collected_at: AT, id: '12', user_login: '\u2003' }),
      bronzeRow({ collected_at: AT, id: '\u00a013', user_login: ' Ação ' }),
      bronzeRow({ collected_at: AT, id: '14', user_id: '\t', user_login: '~tilde' }),
    ]);

    // act
    const summary = await runSilver({ store: lake.store, timeZone: TZ });

    // assess
    expect(summary.processed.map(({ rowsIn, rowsOut, quarantined }) => ({ rowsIn, rowsOut, quarantined }))).toEqual([
      { rowsIn: 5, rowsOut: 2, quarantined: 3 },
    ]);
    const silver = await readRows<SilverRow>(lake.store, 'silver/', 'id_stream');
    expect(silver.map((row) => [row.id_stream, row.nome_streamer])).toEqual([
      ['14', '~tilde'],
      ['\u00a013', 'ação'],
    ]);
    const quarantine = await readRows<{ reason: string }>(lake.store, quarantineKey('2026-11-29', '20261130T024000Z', 'silver'), 'reason');
    expect(quarantine.map((row) => row.reason)).toEqual(['missing id', 'missing user_id', 'missing user_login']);
  });

  it('writes a category sent decomposed (e + combining accent) in the one spelling of the composed name', async () => {
    // prepare: one category in two Unicode spellings that look alike, as one game id may come
    await writeBronzeSnapshot(lake.store, AT, [
      bronzeRow({ collected_at: AT, id: '21', user_id: '201', user_login: 'nfd', game_name: 'Cafe\u0301 Talk' }),
      bronzeRow({ collected_at: AT, id: '22', user_id: '202', user_login: 'nfc', game_name: 'Caf\u00e9 Talk' }),
    ]);

    // act
    await runSilver({ store: lake.store, timeZone: TZ });

    // assess
    const silver = await readRows<{ nome_categoria: string }>(lake.store, 'silver/', 'id_stream');
    expect(silver.map((row) => row.nome_categoria)).toEqual(['Caf\u00e9 Talk', 'Caf\u00e9 Talk']);
  });

  it('reads started_at offsets as instants and keeps the skew rule at the edges, infinity included', async () => {
    // prepare: collected 02:40 UTC with the default 5-minute skew
    await writeBronzeSnapshot(lake.store, AT, [
      bronzeRow({ collected_at: AT, id: '21', started_at: '2026-11-29T23:30:00-03:00' }),
      bronzeRow({ collected_at: AT, id: '22', started_at: '2026-11-30T08:13:30.5+05:30' }),
      bronzeRow({ collected_at: AT, id: '23', started_at: '2026-11-30T02:45:00Z' }),
      bronzeRow({ collected_at: AT, id: '24', started_at: '2026-11-30T02:45:00.000001Z' }),
      bronzeRow({ collected_at: AT, id: '25', started_at: 'infinity' }),
    ]);

    // act
    const summary = await runSilver({ store: lake.store, timeZone: TZ });

    // assess
    expect(summary.failed).toEqual([]);
    const silver = await readRows<SilverRow>(lake.store, 'silver/', 'id_stream');
    expect(silver.map((row) => [row.id_stream, row.iniciado_em.toISOString(), row.duracao_minutos])).toEqual([
      ['21', '2026-11-30T02:30:00.000Z', 10],
      ['22', '2026-11-30T02:43:30.500Z', 0],
      ['23', '2026-11-30T02:45:00.000Z', 0],
    ]);
    const quarantine = await readRows<{ reason: string; record: string }>(lake.store, quarantineKey('2026-11-29', '20261130T024000Z', 'silver'), 'record');
    expect(quarantine.map((row) => [JSON.parse(row.record).id, row.reason])).toEqual([
      ['24', 'started_at after collected_at beyond the allowed skew'],
      ['25', 'started_at after collected_at beyond the allowed skew'],
    ]);
  });
});
