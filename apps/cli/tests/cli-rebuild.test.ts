import { cp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { sqlString, withEngine } from '@twitch-pipeline/duckdb';
import { ANALYTICS_TABLES, duckdbLiteralPath, GOLD_TABLES } from '@twitch-pipeline/schemas';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CliResult, cliEnv, jsonOf, runCli, spawnCli, useTemporaryDataDirs } from './support/cli-process';

type Rows = Record<string, unknown>[];

/** Every row of silver and of each gold table, in a stable order. */
interface LakeRows {
  silver: Rows;
  gold: Record<string, Rows>;
}

interface RebuildJson {
  status: string;
  bronzeObjects: number;
  pendingObjects: number;
  dates: string[];
  rows: { in: number; out: number; quarantined: number };
  gold: Record<string, number>;
  corrupt: unknown[];
  failed: unknown[];
}

const TABLES = [...Object.keys(GOLD_TABLES), ...Object.keys(ANALYTICS_TABLES)];
/** 12 snapshots every 2 hours across local midnight (São Paulo): two dates joined by the estimate. */
const BACKFILL = ['backfill', '--hours', '24', '--interval', '2h', '--end', '2026-11-29T12:00:00Z', '--channels', '300', '--realtime', 'none'];

const dataDirectory = useTemporaryDataDirs();
/** The data directory the backfill wrote, copied for each test, which may rewrite or lock its copy. */
let collected: string;
let env: NodeJS.ProcessEnv;
let dataDir: string;
let lake: string;
let dates: string[];
/** The lake as a fresh transform with today's models left it. */
let fresh: LakeRows;

async function lakeRows(): Promise<LakeRows> {
  return withEngine({}, async (engine) => {
    const silver = await engine.all(
      `SELECT * FROM read_parquet(${sqlString(join(duckdbLiteralPath(lake), 'silver/streams/*/*.parquet'))}, union_by_name = true, filename = true) ORDER BY filename, id_stream`,
    );
    const gold: Record<string, Rows> = {};
    for (const table of TABLES) {
      gold[table] = await engine.all(`SELECT * FROM read_parquet(${sqlString(join(duckdbLiteralPath(lake), `gold/${table}/*/*.parquet`))}, union_by_name = true) ORDER BY ALL`);
    }
    return { silver: silver.map(({ filename, ...row }) => ({ ...row, file: String(filename).slice(lake.length) })), gold };
  });
}

async function objectsOf(prefix: string): Promise<string[]> {
  const objects: string[] = [];
  for (const date of (await readdir(join(lake, prefix))).sort()) {
    for (const name of (await readdir(join(lake, prefix, date))).sort()) if (name.endsWith('.parquet')) objects.push(join(lake, prefix, date, name));
  }
  return objects;
}

/** Rewrites a lake object in place from a query over its current rows (the object is `$path`'s parquet). */
async function rewriteObject(path: string, select: string): Promise<void> {
  await withEngine({}, (engine) => engine.copyToParquet(select.replaceAll('$object', `read_parquet(${sqlString(path)})`), undefined, `${path}.old`));
  await rename(`${path}.old`, path);
}

/**
 * A silver object as the model before the cell estimate wrote it: the sample's step
 * (min(interval, minutes live)) and no `intervalo_coleta_minutos` or `fuso_horario` columns.
 */
async function writeOldModelSilver(path: string): Promise<void> {
  await rewriteObject(
    path,
    `SELECT * EXCLUDE (intervalo_coleta_minutos, fuso_horario)
       REPLACE (least(intervalo_coleta_minutos, duracao_minutos) AS intervalo_minutos,
                espectadores * least(intervalo_coleta_minutos, duracao_minutos) / 60.0 AS horas_assistidas)
     FROM $object`,
  );
}

describe('twitch-pipeline rebuild', () => {
  beforeAll(async () => {
    collected = await dataDirectory();
    lake = join(collected, 'lake');
    const backfill = await runCli([...BACKFILL, '--json'], cliEnv(collected));
    expect(jsonOf<{ status: string }>(backfill).status).toBe('ok');
    dates = (await readdir(join(lake, 'silver/streams'))).map((name) => name.replace('dt=', '')).sort();
    fresh = await lakeRows();
  });

  beforeEach(async () => {
    dataDir = await dataDirectory();
    await cp(collected, dataDir, { recursive: true });
    lake = join(dataDir, 'lake');
    env = cliEnv(dataDir);
  });

  it('rewrites old-model silver and stale gold from bronze to what a fresh transform gives', async () => {
    // prepare: one silver object of the first date from the old model, and that date's gold from it
    expect(dates).toHaveLength(2);
    const [oldSilver] = (await objectsOf('silver/streams')).slice(2);
    await writeOldModelSilver(oldSilver!);
    const staleGold = join(lake, `gold/streams_diario/dt=${dates[0]}/part-0.parquet`);
    await rewriteObject(staleGold, 'SELECT * REPLACE (horas_assistidas * 0.9 AS horas_assistidas) FROM $object');
    const before = await lakeRows();
    // act
    const result = await runCli(['rebuild', '--json'], env);
    // assess
    expect(before.silver).not.toEqual(fresh.silver);
    expect(before.gold.streams_diario).not.toEqual(fresh.gold.streams_diario);
    const summary = jsonOf<RebuildJson>(result);
    expect(summary).toMatchObject({ status: 'ok', bronzeObjects: 12, pendingObjects: 0, dates, corrupt: [], failed: [] });
    expect(summary.rows.out).toBe(fresh.silver.length);
    expect(summary.rows.out + summary.rows.quarantined).toBe(summary.rows.in);
    expect(summary.gold).toEqual(Object.fromEntries(TABLES.map((table) => [table, fresh.gold[table]!.length])));
    const after = await lakeRows();
    expect(after.silver).toEqual(fresh.silver);
    expect(after.gold).toEqual(fresh.gold);
  });

  it('names an old-model silver object it cannot rebuild, whose rows gold leaves out', async () => {
    // prepare: one silver object from the old model (no version in its footer), and its bronze object gone
    const oldSilver = (await objectsOf('silver/streams'))[2]!;
    await writeOldModelSilver(oldSilver);
    const key = oldSilver.slice(lake.length + 1);
    await rm(join(lake, key.replace('silver/streams/', 'raw/streams/')));
    // act
    const json = jsonOf<RebuildJson & { outdated: unknown[] }>(await runCli(['rebuild', '--json'], env));
    const text = await runCli(['rebuild'], env);
    // assess
    expect(json.status).toBe('ok');
    expect(json.outdated).toEqual([{ key, found: null, action: 'left out', reason: expect.stringContaining('no such bronze object') }]);
    expect(text.stdout).toMatch(new RegExp(`\\n {2}gold: {3}streams_diario .+; ${key.replaceAll('.', '\\.')} of another model version left out \\(could not be rebuilt from bronze: no such bronze object\\)\\n`));
  });

  it('changes nothing when run again', async () => {
    // prepare: the lake as a rebuild left it
    expect(jsonOf<RebuildJson>(await runCli(['rebuild', '--json'], env)).status).toBe('ok');
    const before = await lakeRows();
    // act
    const result = await runCli(['rebuild'], env);
    // assess
    expect(result.code).toBe(0);
    // Thousands separated, as every count the CLI prints for people (12 snapshots of 300 channels: thousands of rows).
    expect(result.stdout).toMatch(/^rebuild ok in .+: 2 date\(s\) .+, 12 bronze object\(s\)\n {2}silver: rows in \d{1,3}(,\d{3})+, out \d{1,3}(,\d{3})+, quarantined \d+\n {2}gold: {3}streams_diario [\d,]+/);
    expect(await lakeRows()).toEqual(before);
    expect(before).toEqual(fresh);
  });

  it('keeps every sample in the date it was collected on after PIPELINE_TIMEZONE changed', async () => {
    // act: collected in São Paulo's time, rebuilt with the setting changed since
    const result = await runCli(['rebuild', '--json'], { ...env, PIPELINE_TIMEZONE: 'Asia/Tokyo' });

    // assess: silver dates each snapshot in the zone its bronze object names, so nothing moves
    // out of its partition, and no hour watched is lost
    expect(jsonOf<RebuildJson>(result)).toMatchObject({ status: 'ok', bronzeObjects: 12, dates, failed: [] });
    expect(await lakeRows()).toEqual(fresh);
  });

  it('rebuilds a range, and the day before it whose estimate reaches its first snapshot', async () => {
    // prepare
    const secondDate = dates[1]!;
    const ofSecondDate = (await objectsOf('silver/streams')).filter((path) => path.includes(`dt=${secondDate}`));
    await writeOldModelSilver(ofSecondDate[0]!);
    // act
    const summary = jsonOf<RebuildJson>(await runCli(['rebuild', '--from', secondDate, '--to', secondDate, '--json'], env));
    // assess
    expect(summary).toMatchObject({ status: 'ok', bronzeObjects: ofSecondDate.length, dates });
    expect(await lakeRows()).toEqual(fresh);
  });

  it('stops between groups of objects on Ctrl-C, and a rerun finishes the job', async () => {
    // prepare
    const [oldSilver] = (await objectsOf('silver/streams')).slice(-1);
    await writeOldModelSilver(oldSilver!);
    const running = spawnCli(['rebuild'], env);
    await new Promise<void>((started) => running.child.stderr.on('data', (chunk: string) => chunk.includes('rebuild: ') && started()));
    // act
    running.child.kill('SIGINT');
    const stopped: CliResult = await running.finished;
    const rerun = await runCli(['rebuild', '--json'], env);
    // assess
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toContain('rebuild interrupted');
    expect(stopped.stderr).toContain('run `twitch-pipeline rebuild` again to finish');
    expect(jsonOf<RebuildJson>(rerun).status).toBe('ok');
    expect(await lakeRows()).toEqual(fresh);
  });

  it('refuses a bad range (exit 2) and says so when the range holds no bronze object (exit 0)', async () => {
    // prepare
    const bad = [
      ['--from', dates[1]!, '--to', dates[0]!],
      ['--from', '2026-02-30'],
      ['--to', '29/11/2026'],
    ];
    // act
    const refused = await Promise.all(bad.map((range) => runCli(['rebuild', ...range], env)));
    const empty = await runCli(['rebuild', '--from', '2020-01-01', '--to', '2020-01-31', '--json'], env);
    // assess
    expect(refused.map((result) => result.code)).toEqual([2, 2, 2]);
    expect(refused[0]!.stderr).toContain(`--from ${dates[1]} is after --to ${dates[0]}`);
    expect(refused[1]!.stderr).toContain('--from 2026-02-30 is no day of the calendar');
    expect(refused[2]!.stderr).toContain('--to must be a date as YYYY-MM-DD');
    expect(jsonOf<RebuildJson>(empty)).toMatchObject({ status: 'ok', bronzeObjects: 0, dates: [] });
    expect(empty.stderr).toContain('no bronze objects for 2020-01-01 to 2020-01-31');
  });

  it('refuses while another command holds the data directory', async () => {
    // prepare: a live holder (this test process)
    const holder = { pid: process.pid, host: hostname(), startedAt: '2026-11-29T00:00:00Z', command: 'backfill', token: 'held' };
    const lock = join(dataDir, 'pipeline.lock');
    await writeFile(lock, JSON.stringify(holder));
    try {
      const [oldSilver] = await objectsOf('silver/streams');
      await writeOldModelSilver(oldSilver!);
      const before = await lakeRows();
      // act
      const refused = await runCli(['rebuild'], env);
      // assess
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`is in use by \`backfill\` (pid ${process.pid}`);
      expect(await lakeRows()).toEqual(before);
    } finally {
      // This process stays alive, so nothing would ever take the lock over.
      await rm(lock, { force: true });
    }
  });
});
