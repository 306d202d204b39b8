import { describe, expect, it } from 'vitest';
import { bindSavedParameters, findSavedQuery } from '../src/lake/saved';
import { cliEnv, runCli, temporaryDataDir } from './support/cli-process';

describe("a saved query's parameter under its former name", () => {
  it('binds the parameter it was renamed to, and says on stderr to use the new name', async () => {
    // prepare
    const env = cliEnv(await temporaryDataDir());
    const query = ['query', '--saved', 'hourly_viewers_for_channel', '--format', 'json'];

    // act
    const current = await runCli([...query, '--param', 'login=gaules'], env);
    const former = await runCli([...query, '--param', 'channel=gaules'], env);

    // assess
    expect([current.code, former.code]).toEqual([0, 0]);
    // The empty lake prints the same empty result either way; the values bound are what differ when the alias is lost.
    expect(former.stdout).toBe(current.stdout);
    const saved = findSavedQuery('hourly_viewers_for_channel');
    expect(bindSavedParameters(saved, ['channel=gaules'])).toEqual(bindSavedParameters(saved, ['login=gaules']));
    expect(bindSavedParameters(saved, ['channel=gaules'])).toContain('gaules');
    expect(current.stderr).not.toContain('channel=');
    expect(former.stderr).toContain(
      'note: saved query "hourly_viewers_for_channel": --param channel=… is now --param login=…; channel= is still taken in this release, not in the next',
    );
  });

  it('is refused beside the new name, as a parameter given twice', async () => {
    // prepare
    const env = cliEnv(await temporaryDataDir());

    // act
    const result = await runCli(['query', '--saved', 'hourly_viewers_for_channel', '--param', 'login=gaules', '--param', 'channel=alanzoka'], env);

    // assess
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('saved query "hourly_viewers_for_channel": --param login was given more than once');
  });

  it('is listed by query --list under the parameter it stands for', async () => {
    // prepare
    const env = cliEnv(await temporaryDataDir());

    // act
    const result = await runCli(['query', '--list'], env);

    // assess
    const lines = result.stdout.split('\n');
    const login = lines.findIndex((line, index) => index > lines.indexOf('  hourly_viewers_for_channel') && line.startsWith('      --param login=…'));
    expect(result.code).toBe(0);
    expect(lines[login + 1]).toBe('        (--param channel=… is still taken for it in this release, not in the next)');
  });
});
