import { existsSync } from 'node:fs';
import { cp, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { savedQueries } from '@twitch-pipeline/features';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, type CliResult, jsonOf, runCli, runInProcess, startCli, temporaryDataDir, useTemporaryDataDirs } from './support/cli-process';

type Rows = Record<string, unknown>[];

const CHANNELS = '600';
/** Recent slots, so that real-time items are within their TTL when the test runs. */
const CYCLE_AT = slotIso(Date.now());
/** Two days of history (the trend models compare a day with the days before it), every 2 hours. */
const BACKFILL = ['--hours', '48', '--interval', '2h', '--end', slotIso(Date.parse(CYCLE_AT) - 2 * 3_600_000)];

function slotIso(ms: number): string {
  return new Date(Math.floor(ms / 1_800_000) * 1_800_000).toISOString().replace('.000Z', 'Z');
}

const copies = useTemporaryDataDirs();
let env: NodeJS.ProcessEnv;
let dataDir: string;
let backfill: CliResult;
let cycle: CliResult;

async function query(sql: string, on = env): Promise<Rows> {
  return jsonOf<Rows>(await runInProcess(['query', sql, '--format', 'json'], on));
}

async function layerCounts(on = env): Promise<Record<string, unknown>> {
  const [row] = await query(
    `
    SELECT (SELECT count(*) FROM bronze_streams) AS bronze,
           (SELECT count(*) FROM silver_streams) AS silver,
           (SELECT count(*) FROM quarantine_streams) AS quarantine,
           (SELECT count(*) FROM gold_streams_diario) AS gold_streams,
           (SELECT count(*) FROM gold_streamers_diario) AS gold_streamers,
           (SELECT count(*) FROM gold_categorias_diario) AS gold_categorias,
           (SELECT count(*) FROM gold_idiomas_periodo) AS gold_idiomas,
           (SELECT count(*) FROM realtime_events) AS realtime,
           (SELECT round(sum(horas_assistidas), 6) FROM gold_streams_diario) AS gold_hours,
           (SELECT round(sum(horas_assistidas), 6) FROM silver_streams) AS silver_hours,
           (SELECT sum(espectadores) FROM realtime_events) AS realtime_viewers`,
    on,
  );
  return row!;
}

describe('twitch-pipeline end to end on a small simulated population', () => {
  beforeAll(async () => {
    dataDir = await temporaryDataDir();
    env = cliEnv(dataDir);
    backfill = await runCli(['backfill', ...BACKFILL, '--channels', CHANNELS, '--json'], env);
    cycle = await runCli(['run', '--at', CYCLE_AT, '--channels', CHANNELS, '--json'], env);
  });

  it('backfills and runs a cycle, recording both', async () => {
    // prepare: the backfill and the cycle ran in beforeAll
    // act
    const status = jsonOf<{ runs: { kind: string; status: string }[]; queue: { deadLetters: number; visible: number } }>(
      await runInProcess(['status', '--json'], env),
    );
    // assess
    expect(jsonOf<{ status: string; snapshots: string[] }>(backfill)).toMatchObject({ status: 'ok' });
    expect(jsonOf<{ snapshots: string[] }>(backfill).snapshots).toHaveLength(24);
    expect(jsonOf<{ status: string; snapshots: string[] }>(cycle)).toMatchObject({ status: 'ok', snapshots: [CYCLE_AT.replace(/[-:]/g, '')] });
    expect(status.runs.map((run) => `${run.kind}:${run.status}`)).toEqual(['cycle:ok', 'backfill:ok']);
    expect(status.queue).toMatchObject({ deadLetters: 0, visible: 0 });
  });

  it('fills every layer', async () => {
    // prepare: data from beforeAll
    // act
    const counts = await layerCounts();
    // assess
    for (const layer of ['bronze', 'silver', 'gold_streams', 'gold_streamers', 'gold_categorias', 'gold_idiomas', 'realtime']) {
      expect(counts[layer], layer).toBeGreaterThan(0);
    }
  });

  it('reconciles bronze, silver, quarantine, published and consumed', async () => {
    // prepare
    const record = jsonOf<{ rows: { bronze: number; silver: number; quarantinedAtSilver: number }; published: number; consumed: number }>(cycle);
    // act
    const perSnapshot = await query(`
      SELECT b.snapshot_id, b.n AS bronze, coalesce(s.n, 0) AS silver, coalesce(q.n, 0) AS quarantined
      FROM (SELECT snapshot_id, count(*) AS n FROM bronze_streams GROUP BY 1) b
      LEFT JOIN (SELECT id_snapshot, count(*) AS n FROM silver_streams GROUP BY 1) s ON s.id_snapshot = b.snapshot_id
      LEFT JOIN (SELECT snapshot_id, count(*) AS n FROM quarantine_streams WHERE layer = 'silver' GROUP BY 1) q ON q.snapshot_id = b.snapshot_id
      ORDER BY 1`);
    const [live] = await query(`SELECT count(*) AS n FROM realtime_events WHERE "timestamp" = '${CYCLE_AT}'`);
    // assess
    expect(perSnapshot).toHaveLength(25);
    for (const row of perSnapshot) expect(row.bronze, String(row.snapshot_id)).toBe(Number(row.silver) + Number(row.quarantined));
    expect(record.rows.bronze).toBe(record.rows.silver + record.rows.quarantinedAtSilver);
    expect(record.published).toBe(record.rows.silver);
    expect(record.consumed).toBe(record.published);
    expect(live!.n).toBe(record.consumed);
  });

  it('answers every saved query with rows', async () => {
    // prepare
    const [top] = (await query(
      'SELECT nome_streamer AS channel, nome_categoria AS category, idioma AS language FROM gold_streams_diario ORDER BY horas_assistidas DESC LIMIT 1',
    )) as [Record<'channel' | 'category' | 'language', string>];
    // Each required parameter gets a value of its own kind from the lake's busiest stream.
    const valueFor = (name: string) => (name === 'category' ? top.category : name === 'language' ? top.language : top.channel);
    // act
    const results = await Promise.all(
      savedQueries().map(async (saved) => {
        const params = saved.parameters
          .filter((parameter) => parameter.default === undefined)
          .flatMap((parameter) => ['--param', `${parameter.name}=${valueFor(parameter.name)}`]);
        return { name: saved.name, rows: jsonOf<Rows>(await runInProcess(['query', '--saved', saved.name, ...params, '--json'], env)) };
      }),
    );
    // assess
    expect(results.length).toBeGreaterThan(0);
    for (const result of results) expect(result.rows.length, result.name).toBeGreaterThan(0);
  });

  it('explains a bad query and exits non-zero', async () => {
    // prepare
    const sql = 'SELEC nome_streamer FROM silver_streams';
    // act
    const result = await runInProcess(['query', sql], env);
    // assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Parser Error');
    expect(result.stderr).toContain('silver_streams');
    expect(result.stderr).toContain('gold_categorias_diario');
    expect(result.stdout).toBe('');
  });

  it('changes nothing when the same snapshot runs again', async () => {
    // prepare: a copy of the data directory, as the run adds a cycle to the history the other tests read
    const copy = await copies();
    await cp(dataDir, copy, { recursive: true });
    const copyEnv = cliEnv(copy);
    const before = await layerCounts(copyEnv);
    // act
    const again = await runCli(['run', '--at', CYCLE_AT, '--channels', CHANNELS, '--json'], copyEnv);
    // assess
    expect(jsonOf<{ status: string }>(again).status).toBe('ok');
    expect(await layerCounts(copyEnv)).toEqual(before);
    expect(before).toEqual(await layerCounts());
  });

  it('rejects bad configuration naming every bad variable, with exit code 2', async () => {
    // prepare
    const badEnv = { ...env, PIPELINE_LANGUAGES: 'pt,english', PIPELINE_TIMEZONE: 'Mars/Base' };
    // act
    const result = await runInProcess(['query', 'SELECT 1'], badEnv);
    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PIPELINE_LANGUAGES');
    expect(result.stderr).toContain('PIPELINE_TIMEZONE');
  });

  it('says so when the data directory is a file, before any command writes or reads it', async () => {
    // prepare: before, `start` failed with a bare `EEXIST: file already exists, mkdir` and `status` with `ENOTDIR`
    const file = join(await temporaryDataDir(), 'data');
    await writeFile(file, 'not a folder');
    // act
    const results = await Promise.all([['start', '--channels', '300'], ['status'], ['query', 'SELECT 1']].map((args) => runCli(args, cliEnv(file))));
    // assess
    expect(results.map((result) => result.code)).toEqual([2, 2, 2]);
    for (const result of results) expect(result.stderr).toContain(`PIPELINE_DATA_DIR: is a file, not a folder (point it at a folder; start, run and backfill create a missing one) (got "${file}")`);
    expect(await readFile(file, 'utf8')).toBe('not a folder');
  });

  it('says so when the data directory runs through a file, loops or is a broken link, before any command writes or reads it', async () => {
    // prepare: before, each failed with a bare ENOTDIR, ELOOP or ENOENT and exit code 1
    const folder = await temporaryDataDir();
    await writeFile(join(folder, 'afile'), 'not a folder');
    await symlink(join(folder, 'loop'), join(folder, 'loop'));
    await symlink(join(folder, 'gone'), join(folder, 'dangling'));
    const cases = [
      [join(folder, 'afile', 'sub'), 'is a path through a file, which cannot hold a folder'],
      [join(folder, 'loop'), 'is a symbolic link that leads back to itself'],
      [join(folder, 'dangling'), `is a symbolic link to ${join(folder, 'gone')}, which does not exist`],
    ] as const;
    // act
    const results = [];
    for (const [dataDir] of cases) results.push(await runInProcess(['run', '--channels', '300'], cliEnv(dataDir)));
    // assess
    expect(results.map((result) => result.code)).toEqual([2, 2, 2]);
    for (const [index, [, problem]] of cases.entries()) expect(results[index]!.stderr).toContain(`PIPELINE_DATA_DIR: ${problem}`);
    expect(existsSync(join(folder, 'gone'))).toBe(false);
  });

  it('refuses a data directory whose path holds a backslash, before any command writes or reads it', async () => {
    // prepare: DuckDB reads a backslash in a file pattern as a folder separator, so the views would read another folder
    const folder = join(await temporaryDataDir(), 'back\\slash');
    // act
    const results = await Promise.all([['start', '--channels', '300'], ['status']].map((args) => runCli(args, cliEnv(folder))));
    // assess
    expect(results.map((result) => result.code)).toEqual([2, 2]);
    for (const result of results) expect(result.stderr).toContain('PIPELINE_DATA_DIR: is a path holding a backslash');
    expect(existsSync(folder)).toBe(false);
  });

  it('refuses to backfill against Twitch and lists the DLQ', async () => {
    // prepare
    const twitchEnv = { ...env, TWITCH_CLIENT_ID: 'an-id', TWITCH_CLIENT_SECRET: 'a-secret' };
    // act
    const refused = await runCli(['backfill', '--hours', '1'], twitchEnv);
    const dlq = jsonOf<{ deadLetters: number }>(await runInProcess(['dlq', 'count', '--json'], env));
    // assess
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Twitch cannot be asked about the past');
    expect(refused.stderr).not.toContain('a-secret');
    expect(dlq.deadLetters).toBe(0);
  });

  it('serves the simulated Helix API with the credentials it prints', async () => {
    // prepare
    const simulator = await startCli(['simulator', '--port', '0', '--channels', '200', '--json'], env);
    const variables = JSON.parse(simulator.firstOutput) as Record<string, string>;
    // act
    const token = (await (
      await fetch(`${variables.TWITCH_AUTH_URL}/token`, {
        method: 'POST',
        body: new URLSearchParams({ client_id: variables.TWITCH_CLIENT_ID!, client_secret: variables.TWITCH_CLIENT_SECRET!, grant_type: 'client_credentials' }),
      })
    ).json()) as { access_token: string };
    const streams = await fetch(`${variables.TWITCH_API_URL}/streams?first=5`, {
      headers: { authorization: `Bearer ${token.access_token}`, 'client-id': variables.TWITCH_CLIENT_ID! },
    });
    const page = (await streams.json()) as { data: unknown[] };
    const exitCode = await simulator.interrupt();
    // assess
    expect(variables.TWITCH_API_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(streams.status).toBe(200);
    expect(streams.headers.get('ratelimit-limit')).toBe('800');
    expect(page.data.length).toBeGreaterThan(0);
    expect(exitCode).toBe(0);
  });
});
