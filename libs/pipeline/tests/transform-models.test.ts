import { DuckDbEngine, sqlString } from '@twitch-pipeline/duckdb';
import { checkModelRules, installFeatureMacros, MODEL_NAMES, type ModelName, savedQueries, savedQueryValues } from '@twitch-pipeline/features';
import { duckdbLiteralPath, GOLD_TABLES } from '@twitch-pipeline/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGold, runSilver } from '../src/index';
import { createTestLake, type TestLake, writeBronzeSnapshot } from './support/transform-lake';
import { randomSnapshots } from './support/transform-random-lake';

const TZ = 'America/Sao_Paulo';
let lake: TestLake;
let engine: DuckDbEngine;

const glob = (prefix: string) => `read_parquet(${sqlString(`${duckdbLiteralPath(lake.store.root)}/${prefix}**/*.parquet`)}, hive_partitioning = false)`;
const REQUIRED_QUERIES = [
  'top_categories_by_hours',
  'top_streamers_by_average_viewers',
  'audience_by_language_and_period',
  'game_vs_non_game_share',
  'hourly_viewers_for_channel',
];
const RELATIONS: Record<ModelName, string> = {
  silver_streams: 'silver/streams/',
  gold_streams_diario: 'gold/streams_diario/',
  gold_streamers_diario: 'gold/streamers_diario/',
  gold_canais_hora: 'gold/canais_hora/',
  gold_categorias_canais: 'gold/categorias_canais/',
  gold_categorias_diario: 'gold/categorias_diario/',
  gold_idiomas_periodo: 'gold/idiomas_periodo/',
  gold_tendencias_diario: 'gold/tendencias_diario/',
  gold_melhores_horarios: 'gold/melhores_horarios/',
};

beforeAll(async () => {
  lake = await createTestLake();
  for (const seed of [5, 6]) {
    for (const snapshot of randomSnapshots(seed, seed === 5 ? '2026-11-29T22:00:00Z' : '2026-11-30T22:10:00Z', 12)) {
      await writeBronzeSnapshot(lake.store, snapshot.collectedAt, snapshot.rows, TZ);
    }
  }
  const silver = await runSilver({ store: lake.store, timeZone: TZ });
  // A gold that failed names its error here, rather than as files missing from every view below.
  expect((await runGold({ store: lake.store, dates: silver.dates })).failed).toEqual([]);
  engine = await DuckDbEngine.open();
  await installFeatureMacros(engine);
  for (const [model, prefix] of Object.entries(RELATIONS)) {
    await engine.run(`CREATE VIEW ${model} AS SELECT * FROM ${glob(prefix)}`);
  }
  await engine.run(`CREATE VIEW bronze_streams AS SELECT * FROM ${glob('raw/streams/')}`);
});
afterAll(async () => {
  await engine.close();
  await lake.dispose();
});

async function countRows(relation: string): Promise<number> {
  const [row] = await engine.all<{ n: number }>(`SELECT count(*) AS n FROM ${relation}`);
  return row!.n;
}

describe('model column rules', () => {
  it.each(MODEL_NAMES)('%s output passes the rules declared beside the model', async (model) => {
    // act
    const violations = await checkModelRules(engine, model, model);

    // assess
    expect(violations).toEqual([]);
    expect(await countRows(model)).toBeGreaterThan(0);
  });

  it('gold_canais_hora adds up, channel by channel and day by day, to gold_streamers_diario', async () => {
    // act: every channel-day whose hours differ between the two grains
    const mismatched = await engine.all(
      `SELECT d.data, d.nome_streamer
         FROM gold_streamers_diario d
         FULL JOIN (
           SELECT data, nome_streamer, sum(minutos_transmitidos) AS minutos, sum(horas_assistidas) AS horas,
                  max(pico_espectadores) AS pico, sum(amostras) AS amostras
             FROM gold_canais_hora GROUP BY data, nome_streamer
         ) h USING (data, nome_streamer)
        WHERE h.minutos IS NULL OR d.minutos_transmitidos IS NULL
           OR abs(d.minutos_transmitidos - h.minutos) > 1e-6 OR abs(d.horas_assistidas - h.horas) > 1e-6
           OR d.pico_espectadores <> h.pico OR d.amostras <> h.amostras`,
    );

    // assess
    expect(mismatched).toEqual([]);
    expect(await countRows('gold_canais_hora')).toBeGreaterThan(await countRows('gold_streamers_diario'));
  });

  it('gold_categorias_canais is gold_streams_diario without the period of the day', async () => {
    // act: every category-language-channel-day whose measures differ between the two grains
    const mismatched = await engine.all(
      `SELECT data, nome_categoria, idioma, nome_streamer
         FROM gold_categorias_canais c
         FULL JOIN (
           SELECT data, nome_categoria, tipo_conteudo, idioma, nome_streamer, sum(minutos_transmitidos) AS minutos,
                  sum(horas_assistidas) AS horas, max(pico_espectadores) AS pico, sum(amostras) AS amostras
             FROM gold_streams_diario GROUP BY ALL
         ) s USING (data, nome_categoria, tipo_conteudo, idioma, nome_streamer)
        WHERE s.minutos IS NULL OR c.minutos_transmitidos IS NULL
           OR abs(c.minutos_transmitidos - s.minutos) > 1e-6 OR abs(c.horas_assistidas - s.horas) > 1e-6
           OR c.pico_espectadores <> s.pico OR c.amostras <> s.amostras`,
    );

    // assess
    expect(mismatched).toEqual([]);
    expect(await countRows('gold_categorias_canais')).toBeGreaterThan(0);
  });

  it('reports every broken rule of an output that breaks them', async () => {
    // prepare: a copy of the streamers table with a duplicated key, a null, a bad value and a broken measure
    await engine.run(
      `CREATE TEMP TABLE broken AS
         SELECT * FROM gold_streamers_diario
         UNION ALL (SELECT * REPLACE (NULL AS nome_streamer) FROM gold_streamers_diario LIMIT 1)
         UNION ALL (SELECT * REPLACE (0 AS total_streams) FROM gold_streamers_diario LIMIT 1)`,
    );
    await engine.run(`CREATE TEMP TABLE broken_languages AS SELECT * REPLACE ('Evening' AS periodo_dia) FROM gold_idiomas_periodo`);

    // act
    const streamers = await checkModelRules(engine, 'gold_streamers_diario', 'broken');
    const languages = await checkModelRules(engine, 'gold_idiomas_periodo', 'broken_languages');
    const columns = await checkModelRules(engine, 'gold_streamers_diario', 'gold_categorias_diario');

    // assess
    expect(streamers.map((v) => v.rule)).toEqual([
      'not_null(nome_streamer)',
      'unique(data, nome_streamer)',
      'expression(total_streams >= 1)',
      // its sampled broadcasts are now more than its streams
      'expression(transmissoes_continuadas <= transmissoes_amostradas AND transmissoes_amostradas <= total_streams)',
    ]);
    expect(languages.map((v) => v.rule)).toContain('accepted_values(periodo_dia: Dawn, Morning, Afternoon, Night)');
    expect(languages.find((v) => v.rule.startsWith('accepted_values'))?.failingRows).toBe(await countRows('gold_idiomas_periodo'));
    expect(columns).toHaveLength(1);
    expect(columns[0]!.rule).toMatch(/^columns: expected/);
  });
});

describe('saved queries', () => {
  beforeAll(async () => {
    // Saved queries filter the dt partition: shadow the lake views with ones that read it from the
    // object paths, as the CLI's views do (the model-rule checks above compare exact columns).
    for (const [model, prefix] of Object.entries(RELATIONS)) {
      const partitioned = glob(prefix).replace('hive_partitioning = false', "hive_partitioning = true, hive_types = {'dt': DATE}");
      await engine.run(`CREATE TEMP VIEW ${model} AS SELECT * FROM ${partitioned}`);
    }
  });
  afterAll(async () => {
    // The model-rule checks, whichever order the tests run in, see the lake views again.
    for (const model of Object.keys(RELATIONS)) await engine.run(`DROP VIEW temp.main.${model}`);
  });

  it('lists the required questions, with one header parameter per placeholder', () => {
    // act
    const names = savedQueries().map((query) => query.name);

    // assess
    expect(names).toEqual(expect.arrayContaining(REQUIRED_QUERIES));
    for (const query of savedQueries()) expect(query.sql.split('?').length - 1).toBe(query.parameters.length);
  });

  it.each(savedQueries().filter((query) => REQUIRED_QUERIES.includes(query.name)).map((query) => [query.name, query] as const))('%s runs on DuckDB over the lake and returns rows', async (_name, query) => {
    // prepare
    const [channel] = await engine.all<{ nome_streamer: string }>('SELECT nome_streamer FROM gold_streamers_diario ORDER BY horas_assistidas DESC LIMIT 1');
    const given = { login: channel!.nome_streamer, min_minutes: '0' };
    const values = savedQueryValues(query, Object.fromEntries(Object.entries(given).filter(([name]) => query.parameters.some((p) => p.name === name))));

    // act
    const rows = await engine.all(query.sql, values as never);

    // assess
    expect(rows.length).toBeGreaterThan(0);
  });

  it.each(savedQueries().map((query) => [query.name, query] as const))('%s gives the same rows where an integer divided by an integer is an integer, as on Athena', async (_name, query) => {
    // prepare: Trino (Athena) divides two integers as integers, DuckDB as a fraction; its
    // integer_division setting does as Trino does, so a divisor left uncast changes the rows
    const [channel] = await engine.all<{ nome_streamer: string }>('SELECT nome_streamer FROM gold_streamers_diario ORDER BY horas_assistidas DESC LIMIT 1');
    const [category] = await engine.all<{ nome_categoria: string }>('SELECT nome_categoria FROM gold_categorias_diario ORDER BY horas_assistidas DESC LIMIT 1');
    const required = Object.fromEntries(
      query.parameters.filter((p) => p.default === undefined).map((p) => [p.name, /categor/.test(p.name) ? category!.nome_categoria : channel!.nome_streamer]),
    );
    const values = savedQueryValues(query, required) as never;

    // act
    const fractions = await engine.all(query.sql, values);
    await engine.run('SET integer_division = true');
    const integers = await engine.all(query.sql, values).finally(() => engine.run('RESET integer_division'));

    // assess
    expect(integers).toEqual(fractions);
  });
});

describe('gold tables', () => {
  it('has one model per gold table', () => {
    // act + assess
    expect(Object.keys(GOLD_TABLES).map((table) => `gold_${table}`).every((model) => (MODEL_NAMES as readonly string[]).includes(model))).toBe(true);
  });
});
