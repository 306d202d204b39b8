import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, jsonOf, runCli, useTemporaryDataDirs } from './support/cli-process';

const dataDirectory = useTemporaryDataDirs();

describe('a saved query that finds no rows for the values given', () => {
  let env: NodeJS.ProcessEnv;
  let login: string;

  beforeAll(async () => {
    env = cliEnv(await dataDirectory());
    await runCli(['run', '--at', '2026-11-29T12:00:00Z', '--channels', '200'], env);
    const [first] = jsonOf<{ login: string }[]>(await runCli(['query', 'SELECT nome_streamer AS login FROM gold_streamers_diario ORDER BY 1 LIMIT 1', '--json'], env));
    login = first!.login;
  });

  it('says which value found nothing and how its parameter matches: a login in another case than the lake\'s', async () => {
    // prepare: the login as a display name writes it
    const displayName = login.charAt(0).toUpperCase() + login.slice(1);

    // act
    const result = await runCli(['query', '--saved', 'channel_summary', '--param', `login=${displayName}`], env);

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('0 rows');
    expect(result.stderr).toBe(`  no rows for login "${displayName}": Channel login (lower-case)\n`);
  });

  it('names every text value given, one a line, leaving out the dates, whose form is checked as they are read', async () => {
    // act
    const result = await runCli(
      ['query', '--saved', 'best_times', '--param', 'category=Just Chatting', '--param', 'language=pt-BR', '--param', 'first_date=2026-11-29'],
      env,
    );

    // assess
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      '  no rows for the values given:\n' +
        '    category "Just Chatting": Category name, case-insensitive; % and _ match like SQL LIKE, % alone for every category\n' +
        '    language "pt-BR": Stream language code such as pt or en, case-insensitive; % for every language\n',
    );
  });

  it('names the days given when no text value was, since a day the lake does not hold finds nothing as silently', async () => {
    // act
    const oneDay = await runCli(['query', '--saved', 'rising_streamers', '--param', 'day=2020-01-01'], env);
    const range = await runCli(['query', '--saved', 'top_categories_by_hours', '--param', 'first_date=2020-01-01', '--param', 'last_date=2020-01-31'], env);

    // assess
    expect(oneDay.code).toBe(0);
    expect(oneDay.stdout).toContain('0 rows');
    expect(oneDay.stderr).toBe(
      '  no rows for day "2020-01-01": Day (YYYY-MM-DD), or "latest" for the newest day with eligible rows (a day that has just begun has none until it reaches the minimum volume)\n',
    );
    expect(range.stderr).toBe(
      '  no rows for the values given:\n' +
        '    first_date "2020-01-01": First date, inclusive (YYYY-MM-DD)\n' +
        '    last_date "2020-01-31": Last date, inclusive (YYYY-MM-DD)\n',
    );
  });

  it('says nothing more when the query finds rows', async () => {
    // act
    const result = await runCli(['query', '--saved', 'channel_summary', '--param', `login=${login}`], env);

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 row');
    expect(result.stderr).toBe('');
  });
});
