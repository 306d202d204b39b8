import { cp, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { sqlString, withEngine } from '@twitch-pipeline/duckdb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CliResult, cliEnv, jsonOf, runCli, runInProcess, startCli, temporaryDataDir, useTemporaryDataDirs } from './support/cli-process';

// A data directory kept across an upgrade: its silver objects and a gold partition as the
// version before the hours-watched estimate wrote them (two columns fewer, no model version in
// the footer), while bronze keeps every field as received.
const END = '2026-11-29T18:00:00Z';
const BACKFILL = ['backfill', '--hours', '4', '--interval', '1h', '--end', END, '--channels', '300', '--realtime', 'none'];
const DATE = '2026-11-29';

const dataDirectory = useTemporaryDataDirs();
/** The upgraded data directory, copied for each test: the next cycle rewrites what the others read. */
let upgraded: string;
let env: NodeJS.ProcessEnv;
let lake: string;

async function silverObjects(): Promise<string[]> {
  const folder = join(lake, `silver/streams/dt=${DATE}`);
  return (await readdir(folder)).filter((name) => name.endsWith('.parquet')).map((name) => join(folder, name));
}

async function rewriteAsEarlierVersion(path: string, select = 'SELECT * FROM $object'): Promise<void> {
  await withEngine({}, (engine) => engine.copyToParquet(select.replaceAll('$object', `read_parquet(${sqlString(path)})`), undefined, `${path}.old`));
  await rename(`${path}.old`, path);
}

describe('a data directory kept across an upgrade of the models', () => {
  beforeAll(async () => {
    upgraded = await dataDirectory();
    lake = join(upgraded, 'lake');
    expect(jsonOf<{ status: string }>(await runCli([...BACKFILL, '--json'], cliEnv(upgraded))).status).toBe('ok');
    for (const path of await silverObjects()) await rewriteAsEarlierVersion(path, 'SELECT * EXCLUDE (intervalo_coleta_minutos, fuso_horario) FROM $object');
    await rewriteAsEarlierVersion(join(lake, `gold/streams_diario/dt=${DATE}/part-0.parquet`));
  });

  beforeEach(async () => {
    const dataDir = await dataDirectory();
    await cp(upgraded, dataDir, { recursive: true });
    lake = join(dataDir, 'lake');
    env = cliEnv(dataDir);
  });

  it('names the dates an earlier version wrote, in status and beside query results, which still answer', async () => {
    // act: the query in a process of its own, as the note is written once per process and
    // another test's command in this one may have written it already
    const status = await runInProcess(['status'], env);
    const query = await runCli(['query', 'SELECT count(*) AS n, count(fuso_horario) AS zoned FROM silver_streams', '--format', 'json'], env);
    // assess
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`note: silver of 1 date(s) (${DATE}) and gold of 1 date(s) (${DATE}) written by another version of the models`);
    expect(status.stdout).toContain('`twitch-pipeline rebuild` rewrites silver and gold from bronze');
    expect(query.code).toBe(0);
    const [counts] = JSON.parse(query.stdout) as { n: number; zoned: number }[];
    expect(counts!.n).toBeGreaterThan(0);
    expect(counts!.zoned).toBe(0);
    expect(query.stderr).toContain('written by another version of the models');
  });

  it('names them once on a served dashboard, not at every page load', async () => {
    // prepare
    const server = await startCli(['dashboard', '--serve', '--port', '0', '--json'], env);
    const { url } = JSON.parse(server.firstOutput) as { url: string };
    try {
      // act
      const statuses: number[] = [];
      for (let load = 0; load < 3; load++) statuses.push((await fetch(url)).status);
      // assess
      expect(statuses).toEqual([200, 200, 200]);
      expect(server.stderr().split('written by another version of the models')).toHaveLength(2);
    } finally {
      await server.interrupt();
    }
  });

  it('says a category profile over dates an earlier version wrote needs a rebuild, not that nobody streamed', async () => {
    // prepare: that version wrote no category-channel table
    const [top] = JSON.parse((await runInProcess(['query', 'SELECT nome_categoria FROM gold_categorias_diario ORDER BY horas_assistidas DESC LIMIT 1', '--format', 'json'], env)).stdout) as {
      nome_categoria: string;
    }[];
    const partition = join(lake, `gold/categorias_canais/dt=${DATE}`);
    const kept = join(lake, '..', 'categorias_canais-kept');
    await rename(partition, kept);

    // act
    let profile: CliResult;
    try {
      profile = await runInProcess(['category', top!.nome_categoria], env);
    } finally {
      await rename(kept, partition);
    }

    // assess
    expect(profile.code).toBe(1);
    expect(profile.stderr).toContain(`the gold of ${DATE} was written by an earlier version, without the category-channel table this profile reads`);
    expect(profile.stderr).toContain(`twitch-pipeline rebuild --from ${DATE} --to ${DATE}`);
  });

  it('collects the next snapshot without failing: gold rebuilds the outdated silver of its date from bronze first', async () => {
    // prepare: before, gold failed with `Binder Error: Referenced column "intervalo_coleta_minutos" not found`
    const before = (await silverObjects()).length;
    // act
    const next = await runCli(['backfill', '--hours', '1', '--interval', '1h', '--end', '2026-11-29T19:00:00Z', '--channels', '300', '--realtime', 'none'], env);
    const status = await runInProcess(['status'], env);
    const query = await runInProcess(['query', 'SELECT count(*) AS n, count(fuso_horario) AS zoned FROM silver_streams', '--format', 'json'], env);
    // assess
    expect(next.code).toBe(0);
    expect(next.stderr).toContain(`${before} silver objects of another model version rebuilt from bronze`);
    expect(status.stdout).not.toContain('another version of the models');
    // the objects it rebuilt were marked as they were written; the build that read them settled them too
    expect(status.stdout).toContain(`gold       latest date ${DATE}\n`);
    const [counts] = JSON.parse(query.stdout) as { n: number; zoned: number }[];
    expect(counts!.zoned).toBe(counts!.n);
    expect(query.stderr).toBe('');
  });
});

describe('a data directory kept across an upgrade, its snapshots on both sides of local midnight', () => {
  // São Paulo time: 22:00 and 23:00 on the 29th, 00:00 on the 30th.
  const DAY_BEFORE = '2026-11-29';
  const DAY = '2026-11-30';
  let upgradedEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const dataDir = await temporaryDataDir();
    upgradedEnv = cliEnv(dataDir);
    const backfill = ['backfill', '--hours', '3', '--interval', '1h', '--end', '2026-11-30T03:00:00Z', '--channels', '100', '--realtime', 'none'];
    expect((await runInProcess(backfill, upgradedEnv)).code).toBe(0);
    for (const date of [DAY_BEFORE, DAY]) {
      const folder = join(dataDir, 'lake', `silver/streams/dt=${date}`);
      for (const name of await readdir(folder)) await rewriteAsEarlierVersion(join(folder, name), 'SELECT * EXCLUDE (intervalo_coleta_minutos, fuso_horario) FROM $object');
    }
  });

  it('leaves pending after the next cycle only the day before, whose hours across midnight read what it rebuilt, and the cycle after settles it', async () => {
    // prepare: the next cycle builds the 30th, rebuilding from bronze its objects and the 29th's last
    const next = ['backfill', '--hours', '1', '--interval', '1h', '--end', '2026-11-30T04:00:00Z', '--channels', '100', '--realtime', 'none'];
    expect((await runInProcess(next, upgradedEnv)).code).toBe(0);

    // act
    const status = await runInProcess(['status'], upgradedEnv);
    const after = ['backfill', '--hours', '1', '--interval', '1h', '--end', '2026-11-30T05:00:00Z', '--channels', '100', '--realtime', 'none'];
    const cycle = await runInProcess(after, upgradedEnv);
    const settled = await runInProcess(['status'], upgradedEnv);

    // assess: the 30th was built with every object it reads, as they are now
    expect(status.stdout).toContain(`gold       latest date ${DAY}; pending (the next cycle rebuilds them): ${DAY_BEFORE}\n`);
    expect(cycle.code).toBe(0);
    expect(settled.stdout).toContain(`gold       latest date ${DAY}\n`);
    expect(settled.stdout).not.toContain('another version of the models');
  });
});
