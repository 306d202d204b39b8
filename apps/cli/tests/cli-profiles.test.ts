import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { LocalRealtimeTable } from '@twitch-pipeline/storage';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cliEnv, jsonOf, runCli, runInProcess, temporaryDataDir, useTemporaryDataDirs } from './support/cli-process';

interface Row {
  [column: string]: unknown;
}

interface ChannelJson {
  kind: 'channel';
  login: string;
  range: { from: string; to: string };
  summary: Row;
  categories: Row[];
  heatmap: Row[];
  trend: Row[];
  languages: Row[];
  rank: Row | null;
  lastSample: Row | null;
}

interface CategoryJson {
  kind: 'category';
  name: string;
  range: { from: string; to: string };
  summary: Row;
  hours: Row[];
  bestHours: Row[];
  topChannels: Row[];
  languages: Row[];
  trend: Row[];
}

let env: NodeJS.ProcessEnv;
let dataDir: string;
let login: string;

async function sql<T extends Row>(query: string): Promise<T[]> {
  return jsonOf<T[]>(await runInProcess(['query', query, '--json'], env));
}

const sum = (rows: Row[], column: string) => rows.reduce((total, row) => total + Number(row[column]), 0);

describe('channel and category profiles over a small simulated lake', () => {
  beforeAll(async () => {
    dataDir = await temporaryDataDir();
    env = cliEnv(dataDir);
    // Three days of 2-hour snapshots ending now, so the latest snapshot's items are in the real-time table.
    jsonOf(await runCli(['backfill', '--hours', '72', '--interval', '2h', '--channels', '300', '--json'], env));
    const [live] = await sql<{ nome_streamer: string }>(
      'SELECT nome_streamer FROM realtime_events ORDER BY "timestamp" DESC, espectadores DESC LIMIT 1',
    );
    login = live!.nome_streamer;
  });

  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('channel --json: every part of the profile, reconciled with gold, silver and the real-time table', async () => {
    // act
    const profile = jsonOf<ChannelJson>(await runInProcess(['channel', login.toUpperCase(), '--json'], env));
    // assess
    const gold = await sql(`SELECT count(*) AS days, sum(minutos_transmitidos) AS minutes, sum(horas_assistidas) AS hours, max(pico_espectadores) AS peak
      FROM gold_streamers_diario WHERE nome_streamer = '${login}'`);
    const [latest] = await sql(`SELECT espectadores FROM realtime_events WHERE nome_streamer = '${login}' ORDER BY "timestamp" DESC LIMIT 1`);
    expect(profile).toMatchObject({ kind: 'channel', login });
    expect(profile.summary).toMatchObject({ nome_streamer: login, dias_ao_vivo: gold[0]!.days, pico_espectadores: gold[0]!.peak });
    expect(profile.summary.horas_assistidas).toBeCloseTo(Number(gold[0]!.hours), 0);
    expect(profile.summary.horas_transmitidas).toBeCloseTo(Number(gold[0]!.minutes) / 60, 0);
    expect(profile.trend).toHaveLength(Number(gold[0]!.days));
    expect(profile.categories.length).toBeGreaterThan(0);
    expect(sum(profile.categories, 'pct_tempo_no_ar')).toBeCloseTo(100, 0);
    expect(sum(profile.categories, 'pct_horas_assistidas')).toBeCloseTo(100, 0);
    // The heat-map's hours (gold_canais_hora) add up to the summary's (gold_streamers_diario): one estimate, two grains.
    expect(sum(profile.heatmap, 'horas_transmitidas')).toBeCloseTo(Number(profile.summary.horas_transmitidas), 0);
    for (const cell of profile.heatmap) {
      expect(cell.dia_semana).toBeGreaterThanOrEqual(1);
      expect(cell.dia_semana).toBeLessThanOrEqual(7);
    }
    expect(sum(profile.languages, 'pct_horas_assistidas')).toBeCloseTo(100, 0);
    const [main] = profile.languages;
    const [channels] = await sql(`SELECT count(DISTINCT nome_streamer) AS n FROM gold_streams_diario WHERE idioma = '${main!.idioma}'`);
    expect(profile.rank).toMatchObject({ idioma: main!.idioma, canais: channels!.n });
    expect(Number(profile.rank!.posicao_horas_assistidas)).toBeGreaterThanOrEqual(1);
    expect(Number(profile.rank!.posicao_horas_assistidas)).toBeLessThanOrEqual(Number(channels!.n));
    expect(profile.lastSample).toMatchObject({ espectadores: latest!.espectadores });
  });

  it('channel --json counts a broadcast across midnight once, in the whole lake and in a range that begins after its start', async () => {
    // prepare: the channel with the most broadcasts sampled on two dates
    const [crossing] = await sql<{ login: string; day: string }>(
      `SELECT nome_streamer AS login, CAST(max(data) AS VARCHAR) AS day FROM (
         SELECT nome_streamer, id_stream, max(data) AS data FROM silver_streams GROUP BY ALL HAVING count(DISTINCT data) > 1
       ) GROUP BY ALL ORDER BY count(*) DESC, 1 LIMIT 1`,
    );
    const sampled = (from: string) =>
      sql<{ n: number }>(`SELECT count(DISTINCT id_stream) AS n FROM silver_streams WHERE nome_streamer = '${crossing!.login}' AND data >= DATE '${from}'`);

    // act
    const whole = jsonOf<ChannelJson>(await runInProcess(['channel', crossing!.login, '--json'], env));
    const fromMidnight = jsonOf<ChannelJson>(await runInProcess(['channel', crossing!.login, '--from', crossing!.day, '--json'], env));

    // assess: a stream id is one broadcast, and silver has one row per id and snapshot
    expect(whole.summary.transmissoes).toBe((await sampled('2000-01-01'))[0]!.n);
    expect(fromMidnight.summary.transmissoes).toBe((await sampled(crossing!.day))[0]!.n);
  });

  it("channel reads the last sample from only the segments that may hold the login, with the whole table's answer", async () => {
    // prepare: the segments recorded, as a collector's housekeeping does
    await new LocalRealtimeTable(join(dataDir, 'realtime')).removeExpiredSegments();
    const newestSource = vi.spyOn(LocalRealtimeTable.prototype, 'newestSource');
    try {
      // act
      const profile = jsonOf<ChannelJson>(await runInProcess(['channel', `@${login.toUpperCase()}`, '--json'], env));
      // assess: asked about the login alone (so that a channel offline for a day is not a read of every segment)
      expect(newestSource).toHaveBeenCalledWith(expect.any(Function), { channel: login });
      const [latest] = await sql(`SELECT * EXCLUDE (nome_streamer, id_stream, tipo_conteudo, periodo_dia, expira_em) FROM realtime_events
        WHERE nome_streamer = '${login}' ORDER BY "timestamp" DESC LIMIT 1`);
      expect(profile.lastSample).toMatchObject({ espectadores: latest!.espectadores, titulo: latest!.titulo });
    } finally {
      newestSource.mockRestore();
    }
  });

  it('channel takes the login out of a pasted channel address or chat mention', async () => {
    // prepare
    const typed = [`https://www.twitch.tv/${login.toUpperCase()}`, `twitch.tv/${login}/`, `@${login}`, `#${login}`];

    // act
    const profiles = [];
    for (const text of typed) profiles.push(await runInProcess(['channel', text, '--json'], env));

    // assess
    for (const [index, result] of profiles.entries()) {
      expect(result.code, `${typed[index]}: ${result.stderr}`).toBe(0);
      expect(jsonOf<ChannelJson>(result).login).toBe(login);
    }
  });

  it('channel --from/--to keeps to the days asked for', async () => {
    // prepare
    const full = jsonOf<ChannelJson>(await runInProcess(['channel', login, '--json'], env));
    const day = String(full.trend.at(-1)!.data);
    // act
    const oneDay = jsonOf<ChannelJson>(await runInProcess(['channel', login, '--from', day, '--to', day, '--json'], env));
    // assess
    expect(oneDay.range).toEqual({ from: day, to: day });
    expect(oneDay.trend.map((row) => row.data)).toEqual([day]);
    expect(oneDay.summary.dias_ao_vivo).toBe(1);
    expect(oneDay.summary.horas_assistidas).toBe(full.trend.at(-1)!.horas_assistidas);
  });

  it('prints the range its figures cover, which given again gives the same profile, rank included', async () => {
    // prepare: a channel live on fewer days than the lake holds
    const [lake] = await sql<{ first: string; last: string }>('SELECT CAST(min(data) AS VARCHAR) AS first, CAST(max(data) AS VARCHAR) AS last FROM gold_streamers_diario');
    const [fewer] = await sql<{ nome_streamer: string }>(
      `SELECT nome_streamer FROM gold_streamers_diario GROUP BY 1 HAVING count(DISTINCT data) < (SELECT count(DISTINCT data) FROM gold_streamers_diario)
       ORDER BY sum(horas_assistidas) DESC, 1 LIMIT 1`,
    );

    // act
    const open = jsonOf<ChannelJson>(await runInProcess(['channel', fewer!.nome_streamer, '--json'], env));
    const again = jsonOf<ChannelJson>(await runInProcess(['channel', fewer!.nome_streamer, '--from', open.range.from, '--to', open.range.to, '--json'], env));
    const category = jsonOf<CategoryJson>(await runInProcess(['category', 'Just Chatting', '--json'], env));

    // assess
    expect(open.range).toEqual({ from: lake!.first, to: lake!.last });
    expect(Number(open.summary.dias_ao_vivo)).toBeLessThan(3);
    expect(again).toEqual(open);
    expect(category.range).toEqual({ from: lake!.first, to: lake!.last });
  });

  it('the profile numbers are the saved queries’ numbers (query --saved gives the same rows)', async () => {
    // act
    const profile = jsonOf<ChannelJson>(await runInProcess(['channel', login, '--json'], env));
    const summary = jsonOf<Row[]>(await runInProcess(['query', '--saved', 'channel_summary', '--param', `login=${login}`, '--json'], env));
    const heatmap = jsonOf<Row[]>(await runInProcess(['query', '--saved', 'channel_heatmap', '--param', `login=${login}`, '--json'], env));
    // assess
    expect(summary).toEqual([profile.summary]);
    expect(heatmap).toEqual(profile.heatmap);
  });

  it('an unknown login exits with code 2 and names the closest logins', async () => {
    // prepare
    const typo = `${login.slice(0, -1)}${login.endsWith('q') ? 'z' : 'q'}`;
    // act
    const result = await runInProcess(['channel', typo, '--json'], env);
    // assess
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`no channel "${typo}"`);
    expect(result.stderr).toMatch(new RegExp(`closest logins: .*\\b${login}\\b`));
  });

  it('bad dates exit with code 2 before reading anything', async () => {
    // act
    const impossible = await runInProcess(['channel', login, '--from', '2026-02-30'], env);
    const reversed = await runInProcess(['category', 'Just Chatting', '--from', '2026-12-02', '--to', '2026-12-01'], env);
    // assess
    expect(impossible.code).toBe(2);
    expect(impossible.stderr).toContain('--from 2026-02-30 is no day of the calendar: its month or day is out of range');
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toContain('is after --to');
  });

  it('category by name (any case) and by Helix id: the same profile, reconciled with gold', async () => {
    // prepare
    const [top] = await sql<{ nome_categoria: string; id_categoria: string }>(
      `SELECT nome_categoria, any_value(id_categoria) AS id_categoria FROM silver_streams WHERE id_categoria <> ''
       GROUP BY 1 ORDER BY sum(horas_assistidas) DESC LIMIT 1`,
    );
    // act
    const byName = jsonOf<CategoryJson>(await runInProcess(['category', top!.nome_categoria.toLowerCase(), '--json'], env));
    const byId = jsonOf<CategoryJson>(await runInProcess(['category', top!.id_categoria, '--json'], env));
    // assess
    const [gold] = await sql(`SELECT sum(horas_assistidas) AS hours, count(DISTINCT nome_streamer) AS channels FROM gold_streams_diario
      WHERE nome_categoria = '${top!.nome_categoria.replaceAll("'", "''")}'`);
    expect(byName).toEqual(byId);
    expect(byName.name).toBe(top!.nome_categoria);
    expect(byName.summary.horas_assistidas).toBeCloseTo(Number(gold!.hours), 0);
    expect(byName.summary.canais).toBe(gold!.channels);
    expect(byName.hours.length).toBeGreaterThan(0);
    const perChannel = byName.bestHours.map((row) => Number(row.espectadores_por_canal));
    expect(perChannel).toEqual([...perChannel].sort((a, b) => b - a));
    expect(perChannel[0]).toBe(Math.max(...byName.hours.map((row) => Number(row.espectadores_por_canal))));
    expect(byName.topChannels.length).toBeGreaterThan(0);
    expect(byName.topChannels.length).toBeLessThanOrEqual(20);
    expect(sum(byName.languages, 'pct_horas_assistidas')).toBeCloseTo(100, 0);
    expect(sum(byName.trend, 'horas_assistidas')).toBeCloseTo(Number(gold!.hours), 0);
  });

  it('an unknown category exits with code 2 and names the closest categories', async () => {
    // act
    const result = await runInProcess(['category', 'Just Chating'], env);
    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no category "Just Chating"');
    expect(result.stderr).toMatch(/closest names: Just Chatting\b/);
  });

  it('prints the channel profile as text with its sections', async () => {
    // act
    const result = await runInProcess(['channel', login], env);
    // assess
    expect(result.code).toBe(0);
    for (const section of [`Channel ${login}`, 'hours watched', 'rank in', 'last real-time sample', 'Categories', 'weekday × hour', 'Average viewers by day']) {
      expect(result.stdout).toContain(section);
    }
  });
});

describe('names from the lake in a profile\'s errors', () => {
  /** An OSC that retitles the terminal, then an SGR that paints its background red. */
  const HOSTILE = '\u001b]0;PWNED\u0007\u001b[41m';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
  const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
  const dataDirectory = useTemporaryDataDirs();

  /** A lake of one Parquet file per key, each the rows of its SQL, in which `$hostile` is {@link HOSTILE}. */
  async function lakeOf(objects: Record<string, string>): Promise<NodeJS.ProcessEnv> {
    const dataDir = await dataDirectory();
    await withEngine({}, async (engine) => {
      for (const [key, sql] of Object.entries(objects)) {
        await mkdir(join(dataDir, 'lake', key, '..'), { recursive: true });
        await engine.copyToParquet(sql, { hostile: HOSTILE }, join(dataDir, 'lake', key));
      }
    });
    return cliEnv(dataDir);
  }

  it('are printed without the escape sequences they hold: closest names, closest logins, a category found by id', async () => {
    // prepare
    const env = await lakeOf({
      'gold/categorias_diario/dt=2026-11-20/part-0.parquet': "SELECT $hostile || 'EvilCat' AS nome_categoria",
      'gold/streamers_diario/dt=2026-11-20/part-0.parquet': "SELECT $hostile || 'evillogin' AS nome_streamer, DATE '2026-11-20' AS data",
      'silver/streams/dt=2026-11-20/20261120T120000Z.parquet': "SELECT '509658' AS id_categoria, $hostile || 'GhostCat' AS nome_categoria",
    });

    // act
    const category = await runInProcess(['category', 'EvilCa'], env);
    const channel = await runInProcess(['channel', 'evillog'], env);
    const byId = await runInProcess(['category', '509658'], env);

    // assess
    expect([category.code, channel.code, byId.code]).toEqual([2, 2, 1]);
    expect(category.stderr).toContain('closest names: EvilCat\n');
    expect(channel.stderr).toContain('closest logins: evillogin\n');
    expect(byId.stderr).toContain('nobody streamed "GhostCat" between');
    for (const { stderr } of [category, channel, byId]) expect(stderr).not.toMatch(CONTROL);
  });
});
