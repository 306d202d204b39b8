import { rm } from 'node:fs/promises';
import { DuckDbEngine } from '@twitch-pipeline/duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_PANELS } from '../src/dashboard/panels';
import { LakeSession } from '../src/lake/lake-session';
import { cliEnv, jsonOf, runCli, temporaryDataDir } from './support/cli-process';

/** A data directory the enclosing suite fills with `backfill <args>` first and removes last. */
function backfilledLake(args: string[]): () => string {
  let dataDir: string | undefined;
  beforeAll(async () => {
    dataDir = await temporaryDataDir();
    jsonOf(await runCli(['backfill', ...args, '--realtime', 'none', '--json'], cliEnv(dataDir)));
  });
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  return () => dataDir!;
}

describe('the hours-by-category panel', () => {
  const lake = backfilledLake(['--hours', '24', '--end', '2026-11-30T21:00Z', '--channels', '4000']);

  it("shows the same hours on every load, the exact sums of gold's estimate rounded", async () => {
    // prepare: sums of doubles depend on the order DuckDB's threads add them in, and rounded to
    // 0.1 a few of the panel's values changed from one load to the next
    const panel = DASHBOARD_PANELS.find((candidate) => candidate.id === 'hours-by-category')!;
    const session = await LakeSession.open(lake());
    try {
      const exact = await session.query(`
        SELECT strftime(data, '%m-%d') || ' ' || lpad(CAST(hora_dia AS VARCHAR), 2, '0') || ':00' AS x, nome_categoria AS series,
               round(CAST(sum(CAST(horas_assistidas AS DECIMAL(38, 9))) AS DOUBLE), 1) AS y
        FROM gold_melhores_horarios GROUP BY 1, 2`);
      const expected = new Map(exact.rows.map(([x, series, y]) => [`${x}|${series}`, y]));

      // act
      const loads = [];
      for (let load = 0; load < 5; load += 1) loads.push((await session.query(panel.sql)).rows);

      // assess
      expect(loads[0]!.length).toBeGreaterThan(100);
      for (const rows of loads) expect(rows).toEqual(loads[0]);
      // The newest hour, whose only snapshot was taken as it began, has no figure (its hours are 0).
      for (const [x, series, y] of loads[0]!) expect(y ?? 0, `${x} ${series}`).toBe(expected.get(`${x}|${series}`));
    } finally {
      await session.close();
    }
  });
});

describe('the hours-by-category panel where the interval changed', () => {
  // A day collected every 30 minutes, then every 10 and every 60: silver's per-sample hours
  // overlap or leave gaps where the interval changes; gold's estimate joins the snapshots.
  const lake = backfilledLake(['--hours', '6', '--end', '2026-11-30T15:00Z', '--channels', '500']);
  beforeAll(async () => {
    for (const [interval, end] of [['10m', '2026-11-30T17:00Z'], ['60m', '2026-11-30T21:00Z']] as const) {
      jsonOf(await runCli(['backfill', '--hours', '2', '--interval', interval, '--end', end, '--channels', '500', '--realtime', 'none', '--json'], cliEnv(lake())));
    }
  });

  it("adds up, hour by hour, to gold's hours of the channels live in that hour", async () => {
    // prepare: the panel's query with every category rather than the top 8
    const panel = DASHBOARD_PANELS.find((candidate) => candidate.id === 'hours-by-category')!;
    const everyCategory = panel.sql.replace('LIMIT 8', 'LIMIT 1000');
    const session = await LakeSession.open(lake());
    try {
      const channels = new Map(
        (
          await session.query(`
            SELECT strftime(data, '%m-%d') || ' ' || lpad(CAST(hora_dia AS VARCHAR), 2, '0') || ':00' AS x, sum(horas_assistidas)
            FROM gold_canais_hora GROUP BY 1`)
        ).rows.map(([x, hours]) => [x, Number(hours)]),
      );

      // act
      const shown = new Map<unknown, number>();
      for (const [x, , y] of (await session.query(everyCategory)).rows) shown.set(x, (shown.get(x) ?? 0) + Number(y));

      // assess: within the panel's rounding to 0.1 h per category, and the hours gold's best-times
      // table leaves out (a category's tail in an hour where it has no sample: 1-3 % of the hours
      // where the interval changed, against up to 80 % off with silver's per-sample hours)
      expect(everyCategory).not.toBe(panel.sql);
      expect(shown.size).toBeGreaterThan(10);
      for (const [x, hours] of shown) expect(Math.abs(hours - channels.get(x)!), String(x)).toBeLessThanOrEqual(Math.max(2, 0.03 * channels.get(x)!));
    } finally {
      await session.close();
    }
  });
});

describe('the hours-by-category panel across a year end', () => {
  // 21:00 on December 31 to 03:00 on January 1 in São Paulo (the default zone): 00:00 to 06:00 UTC
  const lake = backfilledLake(['--hours', '7', '--interval', '1h', '--end', '2026-01-01T06:00Z', '--channels', '300']);

  it('puts the local hours in time order, December before January', async () => {
    // prepare
    const panel = DASHBOARD_PANELS.find((candidate) => candidate.id === 'hours-by-category')!;
    const session = await LakeSession.open(lake());
    try {
      const hours = await session.query(`
        SELECT DISTINCT data, hora_dia, strftime(data, '%m-%d') || ' ' || lpad(CAST(hora_dia AS VARCHAR), 2, '0') || ':00' AS x
        FROM silver_streams ORDER BY data, hora_dia`);
      const inTimeOrder = hours.rows.map((row) => row[2]);

      // act
      const rows = (await session.query(panel.sql)).rows;

      // assess
      expect(inTimeOrder[0]).toBe('12-31 21:00');
      expect(inTimeOrder.at(-1)).toMatch(/^01-01 0[23]:00$/);
      expect([...new Set(rows.map((row) => row[0]))]).toEqual(inTimeOrder);
    } finally {
      await session.close();
    }
  });

  it('has no figure for the newest hour, whose only snapshot was taken as it began, rather than 0 in every category', async () => {
    // prepare
    const panel = DASHBOARD_PANELS.find((candidate) => candidate.id === 'hours-by-category')!;
    const session = await LakeSession.open(lake());
    try {
      // act
      const rows = (await session.query(panel.sql)).rows;

      // assess: 03:00 holds only the snapshot taken at 03:00; the hour before it is aired
      const newest = rows.filter((row) => row[0] === '01-01 03:00');
      const before = rows.filter((row) => row[0] === '01-01 02:00');
      expect(newest.length).toBeGreaterThan(0);
      expect(newest.map((row) => row[2])).toEqual(newest.map(() => null));
      expect(before.some((row) => Number(row[2]) > 0)).toBe(true);
    } finally {
      await session.close();
    }
  });
});


describe('the best-times panel over days collected at different intervals', () => {
  /** The panel's cells over gold_melhores_horarios rows of [date, language, channels, viewers, snapshots]. */
  async function cells(hours: [string, string, number, number, number][]) {
    const panel = DASHBOARD_PANELS.find((candidate) => candidate.id === 'best-times')!;
    const engine = await DuckDbEngine.open();
    try {
      const values = hours.map(([data, idioma, canais, espectadores, amostras]) => `(DATE '${data}', 'Chess', '${idioma}', 21, ${canais}, ${espectadores}, ${espectadores}, ${amostras})`);
      await engine.run(
        `CREATE TABLE gold_melhores_horarios AS
         SELECT data, nome_categoria, idioma, CAST(hora_dia AS INTEGER) AS hora_dia, CAST(canais AS DOUBLE) AS canais_ao_vivo,
                CAST(espectadores AS DOUBLE) AS espectadores_medios, CAST(horas AS DOUBLE) AS horas_assistidas, CAST(amostras AS BIGINT) AS amostras
         FROM (VALUES ${values.join(', ')}) AS hours(data, nome_categoria, idioma, hora_dia, canais, espectadores, horas, amostras)`,
      );
      return await engine.all(panel.sql);
    } finally {
      await engine.close();
    }
  }

  it('weighs a day collected every 10 minutes as much as one collected every 30', async () => {
    // prepare: the same audience at 21h, 11-21 collected every 10 minutes (6 snapshots) or every 30 (2)
    const day = (snapshots: number): [string, string, number, number, number][] => [
      ['2026-11-20', 'pt', 2, 200, 2],
      ['2026-11-20', 'en', 1, 60, 2],
      ['2026-11-21', 'pt', 1, 500, snapshots],
    ];

    // act
    const mixed = await cells(day(6));
    const steady = await cells(day(2));

    // assess: (200 + 60 + 500) viewers over (2 + 1 + 1) channels, the languages of a day's hour added up
    expect(mixed).toEqual([{ x: '21h', series: 'Chess', y: 190 }]);
    expect(steady).toEqual(mixed);
  });
});

describe('the audience-segments panel', () => {
  it("says its figure is one live channel's audience, as its sum of hours over minutes streamed gives", async () => {
    // prepare: two Portuguese game channels at night, 10 and 30 viewers for an hour each
    const panel = DASHBOARD_PANELS.find((candidate) => candidate.id === 'audience-segments')!;
    const engine = await DuckDbEngine.open();
    try {
      await engine.run(
        `CREATE TABLE gold_idiomas_periodo AS
         SELECT DATE '2026-11-20' AS data, 'pt' AS idioma, 'Game' AS tipo_conteudo, 'Night' AS periodo_dia,
                CAST(horas AS DOUBLE) AS horas_assistidas, CAST(60 AS DOUBLE) AS minutos_transmitidos
         FROM (VALUES (10), (30)) AS channels(horas)`,
      );

      // act
      const rows = await engine.all(panel.sql);

      // assess: 20 viewers a channel, where the segment's whole audience was 40
      expect(rows).toEqual([{ x: 'pt · Game', series: 'Night', y: 20 }]);
      expect(panel.subtitle).toMatch(/^average viewers per live channel /);
      expect(panel.unit).toBe('viewers per channel');
    } finally {
      await engine.close();
    }
  });
});
