import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pidNamespace } from '../src/runtime/process-alive';
import { cliEnv, jsonOf, runCli, temporaryDataDir } from './support/cli-process';

/** A data directory whose lock names `pid` as a `run --every` started at noon (in `directory`, when given). */
async function lockedBy(pid: number, directory?: { path: string; id: string }): Promise<string> {
  const dataDir = await temporaryDataDir();
  await mkdir(dataDir, { recursive: true });
  const holder = { pid, host: hostname(), startedAt: '2026-12-07T12:00:00.000Z', command: 'run --every', pidNamespace: pidNamespace(), token: 'a-token-of-the-holder', ...(directory ? { directory } : {}) };
  await writeFile(join(dataDir, 'pipeline.lock'), JSON.stringify(holder));
  return dataDir;
}

describe('twitch-pipeline status and the data directory lock', () => {
  it('names the command writing the data now, in text and in --json without its token', async () => {
    // prepare: this test's own process stands for a teammate's collector that still runs
    const dataDir = await lockedBy(process.pid);

    // act
    const text = await runCli(['status'], cliEnv(dataDir));
    const json = await runCli(['status', '--json'], cliEnv(dataDir));

    // assess
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Writing now: \`run --every\` (pid ${process.pid} on ${hostname()}, since 2026-12-07T12:00:00.000Z): another writing command waits for it with --wait`);
    expect(jsonOf<{ lock: unknown }>(json).lock).toEqual({ command: 'run --every', pid: process.pid, host: hostname(), startedAt: '2026-12-07T12:00:00.000Z' });
    expect(json.stdout).not.toContain('a-token-of-the-holder');
  });

  it('says a lock whose process is gone is taken over by the next writer, and shows no lock when none is held', async () => {
    // prepare: the pid of a process that has exited
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const staleDir = await lockedBy(gone);
    const freeDir = await temporaryDataDir();
    await mkdir(freeDir, { recursive: true });

    // act
    const stale = await runCli(['status', '--json'], cliEnv(staleDir));
    const staleText = await runCli(['status'], cliEnv(staleDir));
    const free = await runCli(['status', '--json'], cliEnv(freeDir));

    // assess
    expect(jsonOf<{ lock: unknown }>(stale).lock).toMatchObject({ pid: gone, stale: `process ${gone} is not running` });
    expect(staleText.stdout).toContain(`Lock left by \`run --every\` (pid ${gone} on ${hostname()}, since 2026-12-07T12:00:00.000Z): process ${gone} is not running; the next writing command takes it over`);
    expect(jsonOf<{ lock: unknown }>(free).lock).toBeNull();
  });

  it('says a lock copied with the data directory from another folder is not the writer of this one, as a writer would judge it', async () => {
    // prepare: a live holder that writes another folder (a backup copied while it ran)
    const dataDir = await lockedBy(process.pid, { path: '/srv/elsewhere/data', id: '1:2' });

    // act
    const status = await runCli(['status', '--json'], cliEnv(dataDir));

    // assess
    expect(jsonOf<{ lock: { stale?: string } }>(status).lock.stale).toBe('it was copied with the data directory from /srv/elsewhere/data, which that process writes');
  });
});
