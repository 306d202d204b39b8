import { describe, expect, it } from 'vitest';
import { cliEnv, spawnCli, useTemporaryDataDirs } from './support/cli-process';

const temporaryDataDir = useTemporaryDataDirs();

describe('a number flag given something other than digits', () => {
  it.each([
    [['dashboard', '--serve', '--port', ''], '--port must be a whole number from 0 to 65535 (got "")'],
    [['dashboard', '--serve', '--port', '0x1F90'], '--port must be a whole number from 0 to 65535 (got "0x1F90")'],
    [['simulator', '--port', ''], '--port must be a whole number from 0 to 65535 (got "")'],
    [['status', '--limit', '1e2'], '--limit must be a whole number from 1 to 1000 (got "1e2")'],
  ])('%j is refused, not read as the number JavaScript makes of it', async (args, message) => {
    // prepare: an empty value is what `--port "$PORT"` passes when PORT is unset
    const env = cliEnv(await temporaryDataDir());
    const { child, finished } = spawnCli([...args, '--json'], env);
    // A server that started anyway is stopped, so that the test fails instead of waiting.
    child.stdout.once('data', () => child.kill('SIGINT'));

    // act
    const result = await finished;

    // assess
    expect(result).toEqual({ code: 2, stdout: '', stderr: expect.stringContaining(`error: ${message}\n`) });
  });
});
