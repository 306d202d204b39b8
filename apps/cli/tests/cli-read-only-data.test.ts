import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, runInProcess } from './support/cli-process';
import { mountTmpfs, remountReadOnly } from './support/tmpfs';

const SUITE = 'a data directory the user cannot write';

// A real read-only file system: a tmpfs filled by a backfill, then remounted read-only, as a
// lake shared with colleagues who may only read it (or another user's data directory) is.
// Mounting needs root on Linux (CI runs as root); elsewhere the suite is skipped and says why.
const disk = await mountTmpfs('read-only', '64m');
const mountPoint = disk.mountPoint;
const mountFailure = disk.failure;
if (mountFailure) console.log(`skipped "${SUITE}": it mounts a tmpfs read-only, which needs root on Linux (${mountFailure}); CI runs it`);

const dataDir = join(mountPoint, 'data');
const lakeOnly = join(mountPoint, 'lake-only');
let outside: string;

afterAll(async () => {
  await disk.remove();
  if (outside) await rm(outside, { recursive: true, force: true });
});

describe.skipIf(mountFailure !== undefined)(SUITE, () => {
  beforeAll(async () => {
    // prepare: an hour of simulated history, then the file system turns read-only
    outside = await mkdtemp(join(tmpdir(), 'twitch-pipeline-read-only-out-'));
    const backfill = await runCli(['backfill', '--hours', '1', '--end', '2026-11-29T12:00:00Z', '--channels', '200', '--json'], cliEnv(dataDir));
    expect(backfill.code).toBe(0);
    // A lake shared without the rest of its data directory (no real-time table, queue or runs).
    await cp(join(dataDir, 'lake'), join(lakeOnly, 'lake'), { recursive: true });
    await remountReadOnly(mountPoint);
  });

  it('still answers query, status and alerts, and writes a dashboard elsewhere', async () => {
    // act
    const counts = 'SELECT (SELECT count(*) FROM silver_streams) AS silver, (SELECT count(*) FROM realtime_events) AS realtime';
    const query = await runInProcess(['query', counts, '--format', 'json'], cliEnv(dataDir));
    const saved = await runInProcess(['query', '--saved', 'top_categories_by_hours', '--format', 'json'], cliEnv(dataDir));
    const status = await runInProcess(['status'], cliEnv(dataDir));
    const alerts = await runInProcess(['alerts'], cliEnv(dataDir));
    const page = join(outside, 'dashboard.html');
    const dashboard = await runInProcess(['dashboard', '--out', page], cliEnv(dataDir));

    // assess
    for (const result of [query, saved, status, alerts, dashboard]) expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const [rows] = JSON.parse(query.stdout) as { silver: number; realtime: number }[];
    expect(rows?.silver).toBeGreaterThan(0);
    // The backfill's real-time items have expired by now: the view reads the table and finds none live.
    expect(rows?.realtime).toBe(0);
    expect(JSON.parse(saved.stdout).length).toBeGreaterThan(0);
    expect(status.stdout).toMatch(/gold\s+latest date 2026-11-29/);
    expect(await readFile(page, 'utf8')).toContain('<html');
  });

  it('answers every reading command over a lake copied without its real-time table or queue', async () => {
    // act
    const first = await runInProcess(['query', 'SELECT nome_streamer FROM gold_streamers_diario LIMIT 1', '--json'], cliEnv(lakeOnly));
    const [channel] = JSON.parse(first.stdout) as { nome_streamer: string }[];
    const results = await Promise.all(
      [['query', '--list'], ['query', 'SELECT count(*) AS n FROM realtime_events', '--json'], ['status'], ['dlq', 'count'], ['alerts'], ['channel', channel!.nome_streamer]].map((args) =>
        runCli(args, cliEnv(lakeOnly)),
      ),
    );

    // assess
    for (const result of results) expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(results[1]!.stdout)).toEqual([{ n: 0 }]);
    expect(results[2]!.stdout).toMatch(/Queue: 0 waiting, 0 in flight; DLQ: 0/);
    expect(await readdir(lakeOnly)).toEqual(['lake']);
  });

  it('tells the commands that write it to point PIPELINE_DATA_DIR elsewhere', async () => {
    // act
    const collect = await runCli(['run'], cliEnv(dataDir));
    const fresh = await runCli(['start'], cliEnv(join(mountPoint, 'not-yet', 'data')));
    const dashboard = await runInProcess(['dashboard'], cliEnv(dataDir));
    const [channel] = JSON.parse((await runInProcess(['query', 'SELECT nome_streamer FROM gold_streamers_diario LIMIT 1', '--json'], cliEnv(dataDir))).stdout) as { nome_streamer: string }[];
    const profile = await runInProcess(['channel', channel!.nome_streamer, '--out', join(dataDir, 'profile.html')], cliEnv(dataDir));

    // assess
    expect(collect.code).toBe(1);
    expect(collect.stderr).toMatch(/^error: cannot write to the data directory .+ \(EROFS\)\n {2}the commands that collect or rebuild/);
    expect(fresh.code).toBe(1);
    expect(fresh.stderr).toContain(`error: cannot write to the data directory ${join(mountPoint, 'not-yet', 'data')} (EROFS)`);
    expect(dashboard.code).toBe(1);
    expect(dashboard.stderr).toBe(`error: cannot write the dashboard to ${join(dataDir, 'dashboard.html')} (EROFS)\n  write it elsewhere: twitch-pipeline dashboard --out FILE\n`);
    expect(profile.code).toBe(1);
    expect(profile.stderr).toBe(`error: cannot write the profile page to ${join(dataDir, 'profile.html')} (EROFS)\n  write it elsewhere: twitch-pipeline channel … --out FILE\n`);
  });
});
