import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { programVersion } from '../src/cli/command';
import { cliEnv, runCli, temporaryDataDir } from './support/cli-process';

const PACKAGE_JSON = new URL('../package.json', import.meta.url);

describe('twitch-pipeline --version', () => {
  it.each(['--version', '-v'])('%s prints the version of the package that ships the command', async (flag) => {
    // prepare
    const { version } = JSON.parse(await readFile(PACKAGE_JSON, 'utf8')) as { version: string };
    const env = cliEnv(await temporaryDataDir());
    // act
    const result = await runCli([flag], env);
    // assess
    expect(result).toMatchObject({ code: 0, stdout: `twitch-pipeline ${version}\n`, stderr: '' });
  });

  it('refuses an argument after it, and `-h COMMAND` gives that command\'s help', async () => {
    // prepare
    const env = cliEnv(await temporaryDataDir());
    // act
    const version = await runCli(['--version', 'extra'], env);
    const help = await runCli(['-h', 'status'], env);
    const unknown = await runCli(['--help', 'nope'], env);
    const flagged = await runCli(['-h', '--json'], env);
    // assess
    expect(version).toMatchObject({ code: 2, stdout: '' });
    expect(version.stderr).toContain('error: --version takes no argument (got "extra")');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('twitch-pipeline status');
    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.stderr).toContain('error: unknown command "nope"');
    expect(flagged.code).toBe(0);
    expect(flagged.stdout).toContain('twitch-pipeline --version');
  });

  it.each([['help'], ['--help'], ['-h']])('%s help shows help\'s own usage, as help <command> shows a command\'s', async (asked) => {
    // prepare: help is no command of the list, so it was called an unknown one
    const env = cliEnv(await temporaryDataDir());
    // act
    const result = await runCli([asked, 'help'], env);
    // assess
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^twitch-pipeline help — /);
    expect(result.stdout).toContain('twitch-pipeline help <command>');
  });

  it('reads the version from package.json when asked, and names a file without one', async () => {
    // prepare
    const directory = await mkdtemp(join(tmpdir(), 'cli-version-'));
    const released = join(directory, 'released.json');
    const unversioned = join(directory, 'unversioned.json');
    await writeFile(released, JSON.stringify({ name: '@twitch-pipeline/cli', version: '9.8.7-rc.1' }));
    await writeFile(unversioned, JSON.stringify({ name: '@twitch-pipeline/cli' }));
    // act
    const version = await programVersion(released);
    const missing = programVersion(unversioned);
    // assess
    expect(version).toBe('9.8.7-rc.1');
    await expect(missing).rejects.toThrow(`${unversioned} has no "version"`);
    await rm(directory, { recursive: true, force: true });
  });
});
