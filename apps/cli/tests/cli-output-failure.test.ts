import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, type CliResult, cliEnv, useTemporaryDataDirs } from './support/cli-process';

const dataDirectory = useTemporaryDataDirs();

/**
 * Runs `twitch-pipeline <args>` with stdout or stderr written to /dev/full, where every write
 * fails with ENOSPC as on a full disk; the other stream is read.
 */
function runWithFull(args: string[], env: NodeJS.ProcessEnv, full: 'stdout' | 'stderr'): Promise<CliResult> {
  const fd = openSync('/dev/full', 'w');
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', full === 'stdout' ? fd : 'pipe', full === 'stderr' ? fd : 'pipe'] });
  closeSync(fd);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
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
