import { mulberry32 } from '@twitch-pipeline/helix-simulator';
import { DuckDbEngine } from '@twitch-pipeline/duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeOf, intlDayPeriod, installFeatureMacros, intlLocalDate, intlLocalHour, NON_GAME_CATEGORY_IDS } from '../src/index';

let engine: DuckDbEngine;

beforeAll(async () => {
  engine = await DuckDbEngine.open();
  await installFeatureMacros(engine);
});
afterAll(async () => {
  await engine.close();
});


/** Every 10 minutes for two days around each instant, plus seeded random instants over years. */
function instantsAround(centres: string[], seed: number): string[] {
  const instants = new Set<string>();
  for (const centre of centres) {
    const middle = Date.parse(centre);
    for (let minutes = -24 * 60; minutes <= 24 * 60; minutes += 10) instants.add(new Date(middle + minutes * 60_000).toISOString());
  }
  const random = mulberry32(seed);
  const from = Date.parse('2017-01-01T00:00:00Z');
  const to = Date.parse('2030-12-31T00:00:00Z');
  for (let index = 0; index < 2000; index++) instants.add(new Date(from + Math.floor(random() * (to - from) / 1000) * 1000).toISOString());
  return [...instants].sort();
}

const ZONES: Record<string, string[]> = {
  // São Paulo kept DST until 2019: on 2018-11-04 00:00 → 01:00 and 2019-02-17 00:00 → 23:00.
  'America/Sao_Paulo': ['2018-11-04T03:00:00Z', '2019-02-17T02:00:00Z', '2026-11-30T03:00:00Z', '2026-12-31T03:00:00Z'],
  'America/New_York': ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', '2026-12-01T05:00:00Z'],
  'Europe/Berlin': ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-12-31T23:00:00Z'],
};

describe('periodo_dia, hora_local and data_local agree with their TypeScript twins', () => {
  it.each(Object.entries(ZONES))('in %s, across midnight and daylight-saving changes', async (zone, centres) => {
    // prepare
    const instants = instantsAround(centres, zone.length);
    const expected = instants.map((instant) => ({
      instant,
      periodo: intlDayPeriod(instant, zone),
      hora: intlLocalHour(instant, zone),
      data: intlLocalDate(instant, zone),
    }));

    // act
    const rows = await engine.all<{ instant: string; periodo: string; hora: number; data: string }>(
      `SELECT instant,
              periodo_dia(CAST(CAST(instant AS TIMESTAMPTZ) AS TIMESTAMP), $zone) AS periodo,
              hora_local(CAST(CAST(instant AS TIMESTAMPTZ) AS TIMESTAMP), $zone) AS hora,
              CAST(data_local(CAST(CAST(instant AS TIMESTAMPTZ) AS TIMESTAMP), $zone) AS VARCHAR) AS data
         FROM (SELECT unnest(from_json(CAST($instants AS JSON), '["VARCHAR"]')) AS instant)
        ORDER BY instant`,
      { zone, instants: JSON.stringify(instants) },
    );

    // assess
    expect(rows).toHaveLength(expected.length);
    expect(rows).toEqual(expected);
  });

  it('sees the São Paulo DST gap and overlap the same way', async () => {
    // prepare: 2018-11-04 02:59Z is 23:59 (UTC-3), 03:00Z is 01:00 (UTC-2); 2019-02-17 02:00Z is 23:00 again
    const cases = ['2018-11-04T02:59:00Z', '2018-11-04T03:00:00Z', '2019-02-17T01:59:00Z', '2019-02-17T02:00:00Z'];

    // act
    const sql = await engine.all<{ h: number }>(
      `SELECT hora_local(CAST(CAST(i AS TIMESTAMPTZ) AS TIMESTAMP), 'America/Sao_Paulo') AS h
         FROM (SELECT unnest(from_json(CAST($cases AS JSON), '["VARCHAR"]')) AS i, generate_subscripts(from_json(CAST($cases AS JSON), '["VARCHAR"]'), 1) AS n)
        ORDER BY n`,
      { cases: JSON.stringify(cases) },
    );

    // assess
    expect(sql.map((row) => row.h)).toEqual([23, 1, 23, 23]);
    expect(cases.map((instant) => intlLocalHour(instant, 'America/Sao_Paulo'))).toEqual([23, 1, 23, 23]);
  });
});

describe('tipo_conteudo agrees with contentTypeOf', () => {
  it('on every curated id, near misses and random ids', async () => {
    // prepare
    const random = mulberry32(42);
    const ids: (string | null)[] = [
      ...NON_GAME_CATEGORY_IDS,
      ...NON_GAME_CATEGORY_IDS.flatMap((id) => [` ${id}`, `${id} `, `0${id}`, id.slice(0, -1), `${id}0`]),
      '',
      null,
      'toString',
      '__proto__',
      'constructor',
      'Just Chatting',
      '５０９６５８',
      '32399',
      '29595',
      ...Array.from({ length: 500 }, () => String(Math.floor(random() * 2_000_000_000))),
    ];

    // act
    const rows = await engine.all<{ n: number; tipo: string }>(
      `SELECT n, tipo_conteudo(id) AS tipo
         FROM (SELECT unnest(ids) AS id, generate_subscripts(ids, 1) AS n
                 FROM (SELECT CAST(from_json(CAST($ids AS JSON), '["VARCHAR"]') AS VARCHAR[]) AS ids))
        ORDER BY n`,
      { ids: JSON.stringify(ids) },
    );

    // assess
    expect(rows.map((row) => row.tipo)).toEqual(ids.map((id) => contentTypeOf(id)));
    expect(rows.filter((row) => row.tipo === 'Non-Game')).toHaveLength(NON_GAME_CATEGORY_IDS.length);
  });
});
