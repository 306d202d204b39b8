import { spawn } from 'node:child_process';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { pidNamespace } from '../src/runtime/process-alive';
import { BIN, cliEnv, jsonOf, runCli, spawnCli, temporaryDataDir } from './support/cli-process';

const AT = '2026-11-29T12:30:00Z';

async function waitForLock(dataDir: string): Promise<{ pid: number; command: string }> {
  for (;;) {
    const text = await readFile(join(dataDir, 'pipeline.lock'), 'utf8').catch(() => '');
    if (text) return JSON.parse(text) as { pid: number; command: string };
    await delay(25);
  }
}

async function lockExists(dataDir: string): Promise<boolean> {
  return stat(join(dataDir, 'pipeline.lock')).then(
    () => true,
    () => false,
  );
}

describe('twitch-pipeline data directory lock', () => {
  it('refuses a second writer naming the holder, lets readers in, and releases the lock on SIGTERM', async () => {
    // prepare
    const dataDir = await temporaryDataDir();
    const env = cliEnv(dataDir);
    const backfill = spawnCli(['backfill', '--hours', '48', '--end', '2026-11-29T12:00:00Z', '--channels', '400', '--realtime', 'none'], env);
    const holder = await waitForLock(dataDir);
    // act
    const second = await runCli(['run', '--at', AT, '--channels', '400'], env);
    const secondBackfill = await runCli(['backfill', '--hours', '1', '--channels', '400'], env);
    const reader = await runCli(['query', 'SELECT 1 AS one', '--json'], env);
    backfill.child.kill('SIGTERM');
    const stopped = await backfill.finished;
    const heldAfterStop = await lockExists(dataDir);
    // assess
    expect(holder).toMatchObject({ pid: backfill.child.pid, command: 'backfill' });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`is in use by \`backfill\` (pid ${backfill.child.pid} on ${hostname()}`);
    expect(second.stderr).toContain('--wait');
    expect(secondBackfill.code).toBe(1);
    expect(jsonOf<{ one: number }[]>(reader)).toEqual([{ one: 1 }]);
    expect(stopped.code).toBe(130);
    expect(heldAfterStop).toBe(false);
  });

  it('takes over the lock of a process killed with SIGKILL, with a notice', async () => {
    // prepare
    const dataDir = await temporaryDataDir();
    const env = cliEnv(dataDir);
    const killed = spawnCli(['backfill', '--hours', '48', '--end', '2026-11-29T12:00:00Z', '--channels', '400', '--realtime', 'none'], env);
    await waitForLock(dataDir);
    killed.child.kill('SIGKILL');
    await killed.finished;
    const leftBehind = await lockExists(dataDir);
    // act
    const next = await runCli(['run', '--at', AT, '--channels', '400', '--json'], env);
    // assess
    expect(leftBehind).toBe(true);
    expect(jsonOf<{ status: string }>(next).status).toBe('ok');
    expect(next.stderr).toContain(`took over a stale lock of \`backfill\` (pid ${killed.child.pid}`);
    expect(next.stderr).toContain('is not running');
    expect(await lockExists(dataDir)).toBe(false);
  });

  it('takes over the lock of a holder killed with SIGKILL whose parent has not reaped it yet (a zombie)', { skip: process.platform !== 'linux' }, async () => {
    // prepare: the holder's parent execs a program that never reaps its children, as a
    // container's init that is a shell or Node does, so the killed holder stays a zombie
    const dataDir = await temporaryDataDir();
    const env = cliEnv(dataDir);
    const parent = spawn('sh', ['-c', '"$0" "$1" backfill --hours 48 --end 2026-11-29T12:00:00Z --channels 400 --realtime none & exec sleep 120', process.execPath, BIN], {
      env,
      stdio: 'ignore',
    });
    try {
      const holder = await waitForLock(dataDir);
      process.kill(holder.pid, 'SIGKILL');
      while (!/^\S+ \(.*\) Z/.test(await readFile(`/proc/${holder.pid}/stat`, 'utf8'))) await delay(25);
      // act
      const next = await runCli(['run', '--at', AT, '--channels', '400', '--json'], env);
      // assess
      expect(jsonOf<{ status: string }>(next).status).toBe('ok');
      expect(next.stderr).toContain(`took over a stale lock of \`backfill\` (pid ${holder.pid}`);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('waits for a lock created empty and then written (no hard links there), and takes over one left empty', async () => {
    // prepare: a live holder (this test's process) whose lock is still empty, as createFileDurably leaves it for an
    // instant where the file system has no hard links; it writes its content a moment later
    const dataDir = await temporaryDataDir();
    const env = cliEnv(dataDir);
    const lock = join(dataDir, 'pipeline.lock');
    const holder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command: 'run', token: 'test' };
    await writeFile(lock, '');
    const written = delay(1_500).then(() => writeFile(lock, `${JSON.stringify(holder)}\n`));
    // act
    const refused = await runCli(['run', '--at', AT, '--channels', '400'], env);
    await written;
    await writeFile(lock, '');
    await delay(5_500);
    const takenOver = await runCli(['run', '--at', AT, '--channels', '400'], env);
    // assess
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`is in use by \`run\` (pid ${process.pid}`);
    expect(takenOver.code).toBe(0);
    expect(takenOver.stderr).toContain('took over a stale lock of an unknown process: its content is unreadable');
  });

  it('takes over a lock whose pid now belongs to another process (checked by start time)', async () => {
    // prepare: the lock names this very test process, but with another start time
    const dataDir = await temporaryDataDir();
    const env = cliEnv(dataDir);
    const lock = { pid: process.pid, host: hostname(), startedAt: '2026-11-29T00:00:00Z', command: 'run', processStart: '1', token: 'old' };
    await writeFile(join(dataDir, 'pipeline.lock'), JSON.stringify(lock));
    const { processStart: _unknown, ...alive } = { ...lock, token: 'live' };
    // act
    const reused = await runCli(['run', '--at', AT, '--channels', '400', '--json'], env);
    await writeFile(join(dataDir, 'pipeline.lock'), JSON.stringify(alive));
    const refused = await runCli(['run', '--at', AT, '--channels', '400', '--json'], env);
    // assess
    expect(reused.code).toBe(0);
    expect(reused.stderr).toContain(`process id ${process.pid} now belongs to another process`);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`is in use by \`run\` (pid ${process.pid}`);
  });

  it('leaves the lock of another pid namespace alone, whose pid means nothing here, and takes over one of its own', async () => {
    // prepare: a process that has ended, as a container sharing this host's name and the data
    // directory would name one of its own that still runs
    const dataDir = await temporaryDataDir();
    const env = cliEnv(dataDir);
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((exited) => gone.on('exit', exited));
    const lock = { pid: gone.pid, host: hostname(), startedAt: '2026-11-29T00:00:00Z', command: 'backfill', token: 'held' };
    await writeFile(join(dataDir, 'pipeline.lock'), JSON.stringify({ ...lock, pidNamespace: '4026599999' }));
    // act
    const refused = await runCli(['run', '--at', AT, '--channels', '400', '--json'], env);
    await writeFile(join(dataDir, 'pipeline.lock'), JSON.stringify({ ...lock, pidNamespace: pidNamespace() }));
    const takenOver = await runCli(['run', '--at', AT, '--channels', '400', '--json'], env);
    // assess
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`is in use by \`backfill\` (pid ${gone.pid}`);
    expect(takenOver.code).toBe(0);
    expect(takenOver.stderr).toContain(`took over a stale lock of \`backfill\` (pid ${gone.pid}`);
  });

  it('waits for the holder with --wait, then runs', async () => {
    // prepare
    const dataDir = await temporaryDataDir();
    const env = cliEnv(dataDir);
    const lock = { pid: process.pid, host: hostname(), startedAt: '2026-11-29T00:00:00Z', command: 'backfill', token: 'held' };
    await writeFile(join(dataDir, 'pipeline.lock'), JSON.stringify(lock));
    // act
    const waiting = spawnCli(['run', '--wait', '--at', AT, '--channels', '400', '--json'], env);
    await new Promise<void>((told) => waiting.child.stderr.on('data', (chunk: string) => chunk.includes('waiting for') && told()));
    await delay(500);
    const stillWaiting = waiting.child.exitCode === null;
    await rm(join(dataDir, 'pipeline.lock'));
    const result = await waiting.finished;
    // assess
    expect(stillWaiting).toBe(true);
    expect(result.stderr).toContain(`waiting for \`backfill\` (pid ${process.pid}`);
    expect(jsonOf<{ status: string }>(result).status).toBe('ok');
  });
});
