import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BIN, type CliResult, cliEnv, spawnCli, stderrMatching, useTemporaryDataDirs } from './support/cli-process';

const dataDirectory = useTemporaryDataDirs();

/**
 * Runs `twitch-pipeline <args>` with stdout or stderr written to /dev/full, where every write
 * fails with ENOSPC as on a full disk; the other stream is read.
 */
function runWithFull(
  args: string[],
  env: NodeJS.ProcessEnv,
  full: 'stdout' | 'stderr',
  whileRunning?: (child: ChildProcess, stderrSoFar: () => string) => Promise<void>,
): Promise<CliResult> {
  const fd = openSync('/dev/full', 'w');
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', full === 'stdout' ? fd : 'pipe', full === 'stderr' ? fd : 'pipe'] });
  closeSync(fd);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const closed = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return (whileRunning?.(child, () => stderr) ?? Promise.resolve()).then(() => closed);
}

/** Resolves once `text()` matches `pattern`, checked as the child writes. */
async function until(child: ChildProcess, text: () => string, pattern: RegExp): Promise<void> {
  while (!pattern.test(text())) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before printing ${pattern}: ${text()}`);
    await delay(50);
  }
}

describe.runIf(process.platform === 'linux')('twitch-pipeline writing to a full disk', () => {
  it('says in one line that stdout could not be written, and fails', async () => {
    // prepare
    const env = cliEnv(await dataDirectory());

    // act
    const result = await runWithFull(['status'], env, 'stdout');

    // assess: the user's error, not a crash's stack trace
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: cannot write the output: .*no space left on device/im);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('keeps a collector collecting, saying once, within its cycle, that its lines are lost', async () => {
    // prepare
    const env = cliEnv(await dataDirectory());
    let toldBeforeWaiting = '';

    // act
    const result = await runWithFull(['run', '--every', '30m', '--channels', '200'], env, 'stdout', async (child, stderr) => {
      await until(child, stderr, /next cycle at /);
      toldBeforeWaiting = stderr();
      child.kill('SIGINT');
    });

    // assess: noticed at the cycle that lost its line, not a period later, and not said again at exit
    expect(toldBeforeWaiting).toMatch(/cannot write the output: .*no space left on device.*: the collector goes on without printing its cycle lines/);
    expect(result.code).toBe(130);
    expect(result.stderr.match(/cannot write the output/g)).toHaveLength(1);
  });

  it('says it once when a stream of rows stops at the full disk', async () => {
    // prepare: rows written over many ticks, so the command meets the failure itself
    const env = cliEnv(await dataDirectory());

    // act
    const result = await runWithFull(['query', 'SELECT * FROM range(200000)', '--format', 'csv'], env, 'stdout');

    // assess
    expect(result.code).toBe(1);
    expect(result.stderr.match(/cannot write the output/g)).toHaveLength(1);
  });

  it("notices, within the cycle, that a collector's reader has left", async () => {
    // prepare: the reader closes before the first cycle's line is written
    const env = cliEnv(await dataDirectory());
    const collector = spawnCli(['run', '--every', '30m', '--channels', '200'], env);
    collector.child.stdout.destroy();

    // act
    const told = await stderrMatching(collector.child, /next cycle at /);
    collector.child.kill('SIGINT');
    const stopped = await collector.finished;

    // assess
    expect(told).toMatch(/stdout was closed by its reader: the collector goes on without printing its cycle lines/);
    expect(stopped.code).toBe(130);
  });

  it('does its work and prints its result when only stderr cannot be written', async () => {
    // prepare
    const dataDir = await dataDirectory();

    // act
    const result = await runWithFull(['run', '--channels', '200', '--at', '2026-11-29T12:00:00Z'], cliEnv(dataDir), 'stderr');

    // assess: only the diagnostics are lost
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^cycle 20261129T120000Z ok in /);
    expect(await readdir(join(dataDir, 'runs'))).toHaveLength(1);
  });
});
