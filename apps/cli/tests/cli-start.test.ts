import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, jsonOf, runCli, spawnCli, temporaryDataDir } from './support/cli-process';

interface DemoJson {
  snapshots: number;
  channels: number;
  topCategories: { category: string; hours: number }[];
  topChannels: { channel: string; hours: number }[];
  contentShare: { type: string; percent: number }[];
  rows: Record<string, number>;
  goldWatchHours: number;
  trueWatchHours: number;
  errorPercent: number;
}

describe('twitch-pipeline start (the demo behind npm start)', () => {
  it('runs 24 simulated hours through every layer and compares gold with the ground truth', async () => {
    // prepare
    const env = cliEnv(await temporaryDataDir());
    // act
    const text = await runCli(['start', '--channels', '300'], env);
    const again = jsonOf<DemoJson>(await runCli(['start', '--channels', '300', '--json'], env));
    const status = await runCli(['status'], env);
    // assess
    expect(text.code).toBe(0);
    expect(text.stderr).toContain('No Twitch credentials');
    expect(text.stderr).toContain('300 channels live on average');
    for (const heading of ['Top categories by hours watched', 'Top channels by hours watched', 'Game vs non-game', 'Rows per layer', 'Accuracy']) {
      expect(text.stdout).toContain(heading);
    }
    expect(text.stdout).toContain('npm run twitch-pipeline -- query');
    expect(text.stdout).toContain('npm run twitch-pipeline -- dashboard');
    expect(again.snapshots).toBe(48);
    expect(again.topCategories.length).toBeGreaterThan(0);
    expect(again.contentShare.reduce((sum, share) => sum + share.percent, 0)).toBeCloseTo(100, 6);
    expect(again.rows.bronze).toBe(again.rows.silver! + again.rows.quarantined_at_silver!);
    expect(again.rows.published).toBe(again.rows.consumed);
    expect(again.rows.realtime_events).toBe(again.rows.consumed);
    expect(again.trueWatchHours).toBeGreaterThan(0);
    expect(Math.abs(again.errorPercent)).toBeLessThan(25);
    // The run someone started as the demo is listed as one, not as a backfill they never asked for.
    expect(status.stdout).toMatch(/│ demo +│ simulator +│ ok /);
    expect(status.stdout).not.toMatch(/│ backfill +│/);
  });
});

/**
 * The environment of a demo whose subject is what it replaces, not what it computes: 2-hour
 * snapshots (12, not 48) leave the data directory the same kinds of runs and objects in a
 * quarter of the time.
 */
function quickDemoEnv(dataDir: string): NodeJS.ProcessEnv {
  return cliEnv(dataDir, { PIPELINE_INTERVAL_MINUTES: '120' });
}

describe('what a demo replaces in its data directory', () => {
  it('replaces an earlier demo, and keeps a backfill or data collected from Twitch', async () => {
    // prepare: one folder with a demo, one with a backfill (hours of work at full scale), one
    // whose run log says Twitch
    const demoDir = await temporaryDataDir();
    const backfillDir = await temporaryDataDir();
    const twitchDir = await temporaryDataDir();
    expect((await runCli(['start', '--channels', '300'], quickDemoEnv(demoDir))).code).toBe(0);
    expect((await runCli(['backfill', '--hours', '2', '--channels', '300', '--realtime', 'none'], quickDemoEnv(backfillDir))).code).toBe(0);
    const backfillBronze = await readdir(join(backfillDir, 'lake/raw/streams'), { recursive: true });
    await mkdir(join(twitchDir, 'runs'));
    const [backfillRecord] = await readdir(join(backfillDir, 'runs'));
    const twitchRecord = { ...JSON.parse(await readFile(join(backfillDir, 'runs', backfillRecord!), 'utf8')), kind: 'cycle', source: 'twitch' };
    await writeFile(join(twitchDir, 'runs', backfillRecord!), JSON.stringify(twitchRecord));

    // act
    const overDemo = await runCli(['start', '--channels', '300'], quickDemoEnv(demoDir));
    const overBackfill = await runCli(['start', '--channels', '300'], quickDemoEnv(backfillDir));
    const overTwitch = await runCli(['start', '--channels', '300'], quickDemoEnv(twitchDir));

    // assess
    expect(overDemo.code).toBe(0);
    expect(overDemo.stderr).toContain(`replaced the previous simulated demo in ${demoDir}`);
    expect(overBackfill.code).toBe(2);
    expect(overBackfill.stderr).toContain(`error: ${backfillDir} holds simulated data of 1 run(s) of \`backfill\` or \`run\`; the demo replaces only an earlier demo`);
    expect(await readdir(join(backfillDir, 'lake/raw/streams'), { recursive: true })).toEqual(backfillBronze);
    expect(overTwitch.code).toBe(2);
    expect(overTwitch.stderr).toContain('holds data collected from Twitch; the demo will not replace it');
  });
});

describe('a demo made by a version before the demo marked its runs', () => {
  it('is replaced by the next demo, as that version replaced it (a backfill of this version is kept, above)', async () => {
    // prepare: that version's demo wrote the record of a simulated backfill, with neither
    // `demo` nor `recordVersion` (this version's record, stripped of both)
    const dataDir = await temporaryDataDir();
    expect((await runCli(['start', '--channels', '300'], quickDemoEnv(dataDir))).code).toBe(0);
    const [name] = await readdir(join(dataDir, 'runs'));
    const { demo, recordVersion, ...earlier } = JSON.parse(await readFile(join(dataDir, 'runs', name!), 'utf8'));
    await writeFile(join(dataDir, 'runs', name!), JSON.stringify(earlier));

    // act
    const result = await runCli(['start', '--channels', '300'], quickDemoEnv(dataDir));

    // assess
    expect([demo, recordVersion, earlier.kind, earlier.source]).toEqual([true, 2, 'backfill', 'simulator']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`replaced the previous simulated demo in ${dataDir}`);
    expect(await readdir(join(dataDir, 'runs'))).not.toContain(name);
  });
});

/**
 * What a command killed with SIGKILL leaves in `dataDir`: its lock, naming a process that is
 * gone, and a snapshot with no run record.
 */
async function leftByKilled(dataDir: string, command: string): Promise<{ pid: number | undefined; leftover: string }> {
  const gone = spawn(process.execPath, ['-e', '']);
  await new Promise((exited) => gone.on('exit', exited));
  const lock = { pid: gone.pid, host: hostname(), startedAt: '2026-11-29T00:00:00Z', command, token: 'killed' };
  await writeFile(join(dataDir, 'pipeline.lock'), JSON.stringify(lock));
  const leftover = join(dataDir, 'lake/raw/streams/dt=2026-11-28/20261128T120000Z.parquet');
  await mkdir(dirname(leftover), { recursive: true });
  await writeFile(leftover, `a snapshot of the killed \`${command}\``);
  return { pid: gone.pid, leftover };
}

describe('a demo killed before it recorded its run', () => {
  it('has its snapshots cleared by the next demo, which finds its lock left behind', async () => {
    // prepare: what a demo killed with SIGKILL (or a closed terminal) leaves: its lock, naming a
    // process that is gone, and snapshots with no run record
    const dataDir = await temporaryDataDir();
    const { pid } = await leftByKilled(dataDir, 'start');

    // act
    const result = await runCli(['start', '--channels', '300'], quickDemoEnv(dataDir));

    // assess
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`took over a stale lock of \`start\` (pid ${pid}`);
    expect(result.stderr).toContain(`replaced the previous simulated demo in ${dataDir}`);
    expect(await readdir(join(dataDir, 'lake/raw/streams'))).not.toContain('dt=2026-11-28');
  });

  it('is told from a backfill stopped the same way, whose snapshots the demo refuses to replace', async () => {
    // prepare: a backfill killed before its record: its lock left behind, and a snapshot
    const dataDir = await temporaryDataDir();
    const { leftover } = await leftByKilled(dataDir, 'backfill');

    // act
    const result = await runCli(['start', '--channels', '300'], quickDemoEnv(dataDir));

    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${dataDir} holds 1 snapshot(s) no run record accounts for`);
    expect(await readFile(leftover, 'utf8')).toBe('a snapshot of the killed `backfill`');
  });

  it('is replaced when it released its lock but left its in-progress mark (a second Ctrl-C)', async () => {
    // prepare
    const dataDir = await temporaryDataDir();
    const leftover = join(dataDir, 'lake/raw/streams/dt=2026-11-28/20261128T120000Z.parquet');
    await mkdir(dirname(leftover), { recursive: true });
    await writeFile(leftover, 'a snapshot of the stopped demo');
    await mkdir(join(dataDir, 'runs'));
    await writeFile(join(dataDir, 'runs', '.demo-in-progress'), '2026-11-29T00:00:00.000Z\n');

    // act
    const result = await runCli(['start', '--channels', '300'], quickDemoEnv(dataDir));

    // assess
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`replaced the previous simulated demo in ${dataDir}`);
    expect(await readdir(join(dataDir, 'lake/raw/streams'))).not.toContain('dt=2026-11-28');
    expect(await readdir(join(dataDir, 'runs'))).not.toContain('.demo-in-progress');
  });
});

describe('PIPELINE_LANGUAGES against the simulator', () => {
  it('refuses languages the simulator has no channels in, before writing anything', async () => {
    // prepare: "sp" is the kind of typo Twitch would answer with no streams, silently
    const dataDir = await temporaryDataDir();
    const env = cliEnv(dataDir, { PIPELINE_LANGUAGES: 'sp' });
    // act
    const start = await runCli(['start', '--channels', '300'], env);
    const backfill = await runCli(['backfill', '--hours', '1', '--channels', '300'], env);
    // assess
    for (const result of [start, backfill]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('the simulator has no channels in sp (PIPELINE_LANGUAGES)');
      expect(result.stderr).toContain('it simulates en, es, pt');
    }
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('collects the languages it simulates and names the others, in the note and on the extract line', async () => {
    // prepare
    const env = cliEnv(await temporaryDataDir(), { PIPELINE_LANGUAGES: 'pt,sp' });
    // act
    const result = await runCli(['run', '--channels', '300', '--at', '2026-11-30T21:30:00Z'], env);
    // assess
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('note: the simulator has no channels in sp (PIPELINE_LANGUAGES)');
    expect(result.stderr).toMatch(/extract +[1-9][\d,]* streams to bronze, .*; none live in sp \(/);
  });
});

describe('a demo whose SQL cannot run', () => {
  it('exits with the error instead of hanging on the simulator it started', async () => {
    // prepare: FEATURES_SQL_DIR is how a changed copy of the models is tried; this copy is broken
    const models = await temporaryDataDir();
    await mkdir(join(models, 'macros'));
    await writeFile(join(models, 'macros', 'features.sql'), 'CREATE OR REPLACE TEMP MACRO broken( AS;\n');
    const env = cliEnv(await temporaryDataDir(), { FEATURES_SQL_DIR: models });
    // act
    const { child, finished } = spawnCli(['start', '--channels', '300'], env);
    const hung = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const result = await finished;
    clearTimeout(hung);
    // assess: killed after a minute, it would have ended with no code
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('syntax error');
  });
});
