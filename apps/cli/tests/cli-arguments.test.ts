import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../src/cli/errors';
import { writePage } from '../src/cli/temporary-beside';
import { cliEnv, runInProcess, useTemporaryDataDirs } from './support/cli-process';

const temporaryDataDir = useTemporaryDataDirs();

describe('arguments the parser would otherwise drop or misname', () => {
  it.each([
    [['query', 'SELECT 1', '--out', 'DATA/a.csv', '--out', 'DATA/b.json'], '--out was given more than once: give it once'],
    [['query', 'SELECT 1', '-f', 'csv', '--format', 'json'], '--format was given more than once: give it once'],
    [['query', 'SELECT 1', '--json', '--format', 'csv'], '--json prints JSON: give it or --format csv, not both'],
    [['query', '--saved', 'channel_trend', '--saved', 'channel_summary'], '--saved was given more than once: give it once'],
    [['query', '--saved', 'channel_trend', '--param', 'login=a', '--param', 'login=b'], 'saved query "channel_trend": --param login was given more than once'],
    [['dlq', 'count', '--limit', '5'], 'dlq count counts every message and takes no --limit'],
    [['status', '-n', '3', '--limit', '4'], '--limit was given more than once: give it once'],
    [['status', '--bogus'], 'unknown option --bogus'],
    [['backfill', '--hours', '1', '--at', '2026-12-07T00:00:00Z'], 'unknown option --at'],
    [['channel', 'somelogin', '--limit', '3'], 'unknown option --limit'],
    [['category', 'Just Chatting', '--limit', '3'], 'unknown option --limit'],
    [['dlq', 'peek', '--bogus'], 'unknown option --bogus'],
    [['query', '--bogus'], 'unknown option --bogus (an argument that is not an option but opens with - goes after --, as in: -- "--bogus")'],
    [['help', 'bogus'], 'unknown command "bogus"'],
    [['query', 'SELECT 1', '--format', 'xml'], '--format prints table, csv, json (got "xml"); parquet is written to a file with --out FILE'],
    [['query', '--version'], 'query takes no --version: the version is the program\'s\n  see `twitch-pipeline --version`'],
    [['channel', 'gaules', '-v'], 'channel takes no -v: the version is the program\'s\n  see `twitch-pipeline --version`'],
  ])('%j is refused rather than run with one of its values dropped', async (args, message) => {
    // prepare: DATA/ is the data directory, so that a file written anyway is cleaned up with it
    const dataDir = await temporaryDataDir();
    const env = cliEnv(dataDir);

    // act
    const result = await runInProcess(
      args.map((arg) => arg.replace(/^DATA\//, `${dataDir}/`)),
      env,
    );

    // assess
    expect(result).toEqual({ code: 2, stdout: '', stderr: expect.stringContaining(`error: ${message}\n`) });
  });

  it.each([
    [['category', 'Just', 'Chatting'], 'unexpected argument "Chatting" (quote the whole NAME as one argument)\n'],
    [['query', 'SELECT', '1'], 'unexpected argument "1" (quote the whole SQL as one argument)\n'],
    [['channel', 'gaules', 'extra'], 'unexpected argument "extra"\n'],
    [['dlq', 'count', 'extra'], 'unexpected argument "extra"\n'],
  ])('%j names the argument left over, with a hint only where the value may hold spaces', async (args, message) => {
    // prepare
    const env = cliEnv(await temporaryDataDir());

    // act
    const result = await runInProcess(args, env);

    // assess
    expect(result).toEqual({ code: 2, stdout: '', stderr: expect.stringContaining(`error: ${message}`) });
  });
});

describe('a flag given without its value, or with one it takes none of', () => {
  it.each([
    [['alerts', '--since'], '--since needs a value: --since TIME'],
    [['status', '-n'], '--limit needs a value: --limit N'],
    [['query', 'SELECT 1', '--out', '--json'], '--out needs a value: --out FILE (a value that opens with a dash goes after =, as in --out=-…)'],
    [['status', '--json=yes'], '--json takes no value: give it alone'],
    // Node names a short flag alone when its value opens with a dash ("Option '-o' argument is ambiguous")
    [['query', 'SELECT 1', '-o', '--json'], '--out needs a value: --out FILE (a value that opens with a dash goes after =, as in --out=-…)'],
    [['status', '-n', '--json'], '--limit needs a value: --limit N (a value that opens with a dash goes after =, as in --limit=-…)'],
  ])('%j is named in the tool’s words, with the value it takes', async (args, message) => {
    // prepare: Node's parser said "Option '-n, --limit <value>' argument missing"
    const env = cliEnv(await temporaryDataDir());

    // act
    const result = await runInProcess(args, env);

    // assess
    expect(result).toEqual({ code: 2, stdout: '', stderr: expect.stringContaining(`error: ${message}\n`) });
  });
});

describe('SQL that starts with a dash', () => {
  it.each([
    [['query', '-- the answer\nSELECT 42 AS answer', '--format', 'csv']],
    [['query', '--format', 'csv', '-- the answer\nSELECT 42 AS answer']],
    [['query', '--format', 'csv', '--', '-- the answer\nSELECT 42 AS answer']],
  ])('%j runs the SQL: a comment line is no flag', async (args) => {
    // prepare: before, Node's parser called the SQL an unknown option (exit code 2)
    const env = cliEnv(await temporaryDataDir());

    // act
    const result = await runInProcess(args, env);

    // assess
    expect(result).toEqual({ code: 0, stdout: 'answer\n42\n', stderr: '' });
  });

  it('keeps a flag whose value after = holds blanks as that flag', async () => {
    // prepare
    const dataDir = await temporaryDataDir();

    // act
    const result = await runInProcess(['query', 'SELECT 42 AS answer', `--out=${dataDir}/my answer.csv`], cliEnv(dataDir));

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`1 row written to ${dataDir}/my answer.csv`);
  });
});

describe('writePage', () => {
  it('names the folder it cannot make when a file stands where the path needs one', async () => {
    // prepare: a CSV export where the page's folder should be
    const folder = await mkdtemp(join(tmpdir(), 'write-page-'));
    await writeFile(join(folder, 'report.csv'), 'a,b\n');

    // act
    const outcomes = await Promise.all(
      ['report.csv/page.html', 'report.csv/deeper/page.html'].map((path) =>
        writePage(join(folder, path), '<html></html>', { page: 'the dashboard', hint: 'write it elsewhere' }).catch((error: unknown) => error),
      ),
    );

    // assess
    expect(outcomes.map((error) => [error instanceof CliError, (error as Error).message])).toEqual([
      [true, `cannot write the dashboard to ${join(folder, 'report.csv/page.html')}: cannot make its folder ${join(folder, 'report.csv')} (EEXIST)`],
      [true, `cannot write the dashboard to ${join(folder, 'report.csv/deeper/page.html')}: cannot make its folder ${join(folder, 'report.csv/deeper')} (ENOTDIR)`],
    ]);
    await rm(folder, { recursive: true, force: true });
  });
});

describe('the program with no command', () => {
  it('prints the overview on stderr and exits 2, leaving stdout empty as every usage error does; --help prints it on stdout', async () => {
    // prepare
    const env = cliEnv(await temporaryDataDir());

    // act
    const none = await runInProcess([], env);
    const help = await runInProcess(['--help'], env);
    const unknown = await runInProcess(['colect'], env);

    // assess
    expect([none.code, none.stdout]).toEqual([2, '']);
    expect(none.stderr).toBe(help.stdout);
    expect([help.code, help.stderr]).toEqual([0, '']);
    expect([unknown.code, unknown.stdout]).toEqual([2, '']);
    expect(unknown.stderr).toContain('error: unknown command "colect"');
  });
});

describe('the --json flag in each command\'s help', () => {
  it("words run's --json for what it prints, one line per cycle with --every, and keeps the common wording elsewhere", async () => {
    // prepare
    const env = cliEnv(await temporaryDataDir());

    // act
    const run = await runInProcess(['run', '--help'], env);
    const status = await runInProcess(['status', '--help'], env);

    // assess
    expect(run.stdout).toMatch(/--json +print the cycle's record as JSON on stdout \(with --every: one line per cycle as it ends, JSON Lines\)\n/);
    expect(run.stdout.match(/--json/g)).toHaveLength(1);
    expect(status.stdout).toMatch(/--json +print one JSON document on stdout \(for scripts\)\n/);
  });
});

describe('a data directory with a file where one of its folders belongs', () => {
  it.each([['lake'], ['runs']])('names %s as a file instead of failing with ENOTDIR', async (part) => {
    // prepare
    const dataDir = await temporaryDataDir();
    await writeFile(join(dataDir, part), 'not a folder\n');

    // act
    const results = await Promise.all([['query', '--list'], ['status'], ['dlq', 'count']].map((args) => runInProcess(args, cliEnv(dataDir))));

    // assess
    for (const result of results) {
      expect(result).toEqual({ code: 2, stdout: '', stderr: expect.stringContaining(`error: ${join(dataDir, part)} is a file, not a folder`) });
    }
  });
});
