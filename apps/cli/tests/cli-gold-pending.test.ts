import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, jsonOf, runCli, temporaryDataDir } from './support/cli-process';

describe('a gold date that failed', () => {
  it('fails the backfill naming it, shows in status, and the next cycle of another date rebuilds it', async () => {
    // prepare: a file where a gold partition's folder goes, so publishing it fails as a broken disk would
    const dataDir = await temporaryDataDir();
    const env = cliEnv(dataDir);
    const blocked = join(dataDir, 'lake', 'gold', 'streams_diario', 'dt=2026-11-27');
    await mkdir(join(blocked, '..'), { recursive: true });
    await writeFile(blocked, 'not a folder');

    // act
    const backfill = await runCli(['backfill', '--hours', '1', '--end', '2026-11-27T15:00:00Z', '--channels', '200', '--realtime', 'none'], env);
    const pending = await runCli(['status'], env);
    await rm(blocked);
    const cycle = await runCli(['run', '--at', '2026-11-29T12:00:00Z', '--channels', '200'], env);
    const after = jsonOf<{ freshness: { goldPendingDates: string[] } }>(await runCli(['status', '--json'], env));
    const [rows] = jsonOf<{ n: number }[]>(await runCli(['query', "SELECT count(*) AS n FROM gold_streams_diario WHERE data = DATE '2026-11-27'", '--json'], env));

    // assess
    expect(backfill.code).toBe(1);
    expect(backfill.stderr).toMatch(/gold failed for 1 date: 2026-11-27: .*; it stays pending and the next run retries it/);
    expect(pending.stdout).toMatch(/gold\s+latest date .*pending \(the next cycle rebuilds them\): 2026-11-27/);
    expect(cycle.code).toBe(0);
    expect(cycle.stdout + cycle.stderr).toContain('2 dates rebuilt (1 left pending by an earlier run)');
    expect(after.freshness.goldPendingDates).toEqual([]);
    expect(Number(rows!.n)).toBeGreaterThan(0);
  });
});

describe('a snapshot whose silver is pending', () => {
  it('shows in status until the next cycle builds it: one with no silver, one whose bronze changed after its silver', async () => {
    // prepare: two snapshots with silver; one loses its silver, the other's bronze is rewritten later (a run stopped before its silver step)
    const dataDir = await temporaryDataDir();
    const env = cliEnv(dataDir);
    await runCli(['backfill', '--hours', '1', '--end', '2026-11-27T15:00:00Z', '--channels', '200', '--realtime', 'none'], env);
    const silver = join(dataDir, 'lake', 'silver', 'streams', 'dt=2026-11-27');
    await rm(join(silver, '20261127T143000Z.parquet'));
    const [silverWritten, bronzeRewritten] = [new Date(Date.now() - 60_000), new Date(Date.now() - 30_000)];
    await utimes(join(silver, '20261127T150000Z.parquet'), silverWritten, silverWritten);
    await utimes(join(dataDir, 'lake', 'raw', 'streams', 'dt=2026-11-27', '20261127T150000Z.parquet'), bronzeRewritten, bronzeRewritten);

    // act
    const pending = await runCli(['status'], env);
    const json = jsonOf<{ freshness: { silverPendingSnapshots: string[] } }>(await runCli(['status', '--json'], env));
    await runCli(['rebuild', '--from', '2026-11-27', '--to', '2026-11-27'], env);
    const after = jsonOf<{ freshness: { silverPendingSnapshots: string[] } }>(await runCli(['status', '--json'], env));

    // assess
    expect(pending.stdout).toMatch(/silver\s+pending \(the next cycle builds them\): 20261127T143000Z, 20261127T150000Z/);
    expect(json.freshness.silverPendingSnapshots).toEqual(['20261127T143000Z', '20261127T150000Z']);
    expect(after.freshness.silverPendingSnapshots).toEqual([]);
  });
});
