import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, temporaryDataDir } from './support/cli-process';

const LOADED_MODULES_HOOK = fileURLToPath(new URL('./support/loaded-modules.cjs', import.meta.url));

/** Runs the CLI and returns the CommonJS modules its threads loaded, and how many threads reported. */
async function modulesLoadedBy(args: string[]): Promise<{ code: number | null; modules: string[]; threads: number }> {
  const dataDir = await temporaryDataDir();
  const listFile = join(dataDir, 'loaded-modules.txt');
  const env = cliEnv(dataDir, {
    // Quoted: a clone's path may hold spaces, and NODE_OPTIONS splits on them otherwise.
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(LOADED_MODULES_HOOK)}`.trim(),
    LOADED_MODULES_FILE: listFile,
  });
  const { code } = await runCli(args, env);
  const lines = (await readFile(listFile, 'utf8')).split('\n').filter((line) => line !== '');
  return { code, modules: lines.filter((line) => !line.startsWith('# thread ')), threads: lines.filter((line) => line.startsWith('# thread ')).length };
}

describe('local commands load no AWS SDK at start', () => {
  it.each(['--version', '--help', 'start --help', 'query --help', 'status --help', 'dashboard --help'])(
    '`twitch-pipeline %s` loads nothing of @aws-sdk',
    async (commandLine) => {
      // prepare
      const command = commandLine.split(' ');
      // act
      const { code, modules } = await modulesLoadedBy(command);
      // assess
      expect(code).toBe(0);
      expect(modules.length).toBeGreaterThan(0);
      expect(modules.filter((path) => path.includes('/@aws-sdk/'))).toEqual([]);
    },
  );

  it('`twitch-pipeline status` on an empty data directory runs without the AWS SDK', async () => {
    // prepare
    const command = ['status'];
    // act
    const { code, modules } = await modulesLoadedBy(command);
    // assess
    expect(code).toBe(0);
    expect(modules.filter((path) => path.includes('/@aws-sdk/'))).toEqual([]);
  });

  it('`twitch-pipeline start` runs every thread without the X-Ray SDK, whose async hooks slow every await', async () => {
    // prepare: the demo's main thread, extract workers and ground-truth worker all load the
    // pipeline steps; the X-Ray SDK (under the Lambdas' Tracer) would turn on cls-hooked's async
    // hooks in each of them, making every await about ten times as costly
    const command = ['start', '--channels', '300'];
    // act
    const { code, modules, threads } = await modulesLoadedBy(command);
    // assess: the main thread and at least the ground-truth worker reported (extract workers too
    // when the machine has a spare core)
    expect(code).toBe(0);
    expect(threads).toBeGreaterThanOrEqual(2);
    expect(modules.some((path) => path.includes('/@duckdb/'))).toBe(true);
    expect(modules.filter((path) => /[\\/](aws-xray-sdk-core|cls-hooked)[\\/]/.test(path))).toEqual([]);
  });
});
