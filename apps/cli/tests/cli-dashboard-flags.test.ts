import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cliEnv, spawnCli, useTemporaryDataDirs } from './support/cli-process';

const temporaryDataDir = useTemporaryDataDirs();

describe('dashboard flags that do not go together', () => {
  it.each([
    [['--port', '8081'], '--port is the port of --serve: give both, or neither'],
    [['--serve', '--port', '0', '--out', 'report.html'], '--serve writes no file: give --out without --serve'],
  ])('%j are refused, not one of them dropped', async (args, message) => {
    // prepare
    const dataDir = await temporaryDataDir();
    const { child, finished } = spawnCli(['dashboard', ...args, '--json'], cliEnv(dataDir));
    // A server that started anyway is stopped, so that the test fails instead of waiting.
    child.stdout.once('data', () => child.kill('SIGINT'));

    // act
    const result = await finished;

    // assess
    expect(result).toEqual({ code: 2, stdout: '', stderr: expect.stringContaining(`error: ${message}\n`) });
    expect(await readdir(dataDir)).toEqual([]);
  });
});
