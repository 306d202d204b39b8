import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, temporaryDataDir } from './support/cli-process';

describe('a saved query given a plain argument', () => {
  it('is refused with how to give the value, instead of running with its defaults', async () => {
    // prepare
    const env = cliEnv(await temporaryDataDir());

    // act
    const result = await runCli(['query', '--saved', 'top_streamers_by_average_viewers', '100000'], env);

    // assess
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--saved takes its values as --param name=value or --param value, not as the argument "100000"');
  });
});

describe('query --list given a query, a saved query, a file, a format or a row count', () => {
  it.each([
    [['SELECT 1'], 'SQL'],
    [['--saved', 'top_categories_by_hours'], '--saved'],
    [['--out', 'views.csv'], '--out'],
    [['--format', 'csv'], '--format'],
    [['--max-rows', '5'], '--max-rows'],
  ])('refuses %j instead of printing the list and dropping it', async (args, named) => {
    // prepare
    const env = cliEnv(await temporaryDataDir());

    // act
    const result = await runCli(['query', '--list', ...args], env);

    // assess
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`--list prints the views and saved queries, and takes no ${named} (only --json)`);
  });
});
