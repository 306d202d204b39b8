import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runInProcess, useTemporaryDataDirs } from './support/cli-process';

const temporaryDataDir = useTemporaryDataDirs();

describe('a page written under a data file name', () => {
  it.each([
    [['dashboard', '--out', 'dash.csv'], '--out dash.csv names a CSV file, but the dashboard is an HTML page: give a name ending in .html, or for the data: twitch-pipeline query'],
    [['channel', 'gaules', '--out', 'gaules.json'], '--out gaules.json names a JSON file, but the profile page is an HTML page: give a name ending in .html, or for the data: twitch-pipeline channel … --json > FILE.json'],
    [['category', 'Just Chatting', '--out', 'chatting.CSV.gz'], '--out chatting.CSV.gz names a CSV file, but the profile page'],
    [['dashboard', '--out', '-'], '--out "-" names no file: the dashboard is written to a file, not to standard output; give a name ending in .html'],
    [['channel', 'gaules', '--out', ' '], '--out " " names no file: the profile page is written to a file'],
  ])('%j is refused before any work, and nothing is written', async (args, message) => {
    // prepare: a data directory that does not exist, which the command would otherwise report first
    const dataDir = join(await temporaryDataDir(), 'nothing-here');
    const cwd = process.cwd();

    // act
    const result = await runInProcess(args, cliEnv(dataDir));

    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: ${message}`);
    expect(await readdir(cwd)).not.toContain(args[args.indexOf('--out') + 1]);
  });
});

describe('--out naming a folder', () => {
  it.each([
    [['dashboard'], 'the dashboard is written to a file: give a name ending in .html, such as FOLDER/dashboard.html'],
    [['channel', 'gaules'], 'the profile page is written to a file: give a name ending in .html, such as FOLDER/channel.html'],
    [['query', 'SELECT 1', '--format', 'csv'], 'the result is written to a file: give a file name, such as FOLDER/result.csv'],
  ])('%j is a usage error naming the folder, before any work', async (args, advice) => {
    // prepare: a folder where the file would go, and a data directory that does not exist, which the command would otherwise report first
    const parent = await temporaryDataDir();
    const folder = join(parent, 'reports');
    await mkdir(folder);
    const dataDir = join(parent, 'nothing-here');

    // act
    const result = await runInProcess([...args, '--out', folder], cliEnv(dataDir));

    // assess: exit code 2, as every bad name given to --out, not 1 as a failed write
    expect(result).toEqual({ code: 2, stdout: '', stderr: expect.stringContaining(`error: --out ${folder} is a folder, but ${advice.replace('FOLDER', folder)}\n`) });
    expect(await readdir(folder)).toEqual([]);
  });
});
