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

describe('a negative number given to a flag after a space', () => {
  it.each([
    [['backfill', '--hours', '-5'], '--hours must be a whole number from 1 to 8784 (got "-5")'],
    [['run', '--every', '-30m'], '--every must be whole minutes from 1m to 24h, such as 30m or 1h (got "-30m")'],
    [['status', '-n', '-1'], '--limit must be a whole number from 1 to 1000 (got "-1")'],
  ])('%j gets the flag\'s own check, not the argument parser\'s "ambiguous"', async (args, message) => {
    // prepare
    const env = cliEnv(await temporaryDataDir());

    // act
    const result = await spawnCli(args, env).finished;

    // assess
    expect(result).toEqual({ code: 2, stdout: '', stderr: expect.stringContaining(`error: ${message}\n`) });
    expect(result.stderr).not.toContain('ambiguous');
  });

  it('leaves what follows `--` as it is', async () => {
    // prepare
    const env = cliEnv(await temporaryDataDir());

    // act
    const result = await spawnCli(['query', '--', '--max-rows', '-3'], env).finished;

    // assess
    expect(result).toEqual({ code: 2, stdout: '', stderr: expect.stringContaining('error: unexpected argument "-3"') });
  });
});
