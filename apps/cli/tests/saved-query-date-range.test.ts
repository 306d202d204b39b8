import { describe, expect, it } from 'vitest';
import { bindSavedParameters, findSavedQuery } from '../src/lake/saved';
import { cliEnv, runCli, temporaryDataDir } from './support/cli-process';

describe('a saved query given a range of days that ends before it begins', () => {
  it('is refused naming both days, rather than printing an empty table as though the lake had none of them', async () => {
    // prepare
    const env = cliEnv(await temporaryDataDir());

    // act
    const result = await runCli(['query', '--saved', 'top_categories_by_hours', '--param', 'first_date=2026-12-07', '--param', 'last_date=2026-12-01'], env);

    // assess
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'saved query "top_categories_by_hours": first_date 2026-12-07 is after last_date 2026-12-01, so the range holds no day (give the earlier day as first_date)',
    );
  });

  it('binds a range of one day, and a first day alone up to the default last day', () => {
    // prepare
    const channelSummary = findSavedQuery('channel_summary');

    // act
    const oneDay = bindSavedParameters(channelSummary, ['login=gaules', 'first_date=2026-12-07', 'last_date=2026-12-07']);
    const fromADay = bindSavedParameters(channelSummary, ['login=gaules', 'first_date=2026-12-07']);

    // assess
    expect(oneDay).toEqual(['gaules', '2026-12-07', '2026-12-07', '2026-12-07', '2026-12-07']);
    expect(fromADay).toEqual(['gaules', '2026-12-07', '2100-12-31', '2026-12-07', '2100-12-31']);
  });

  it('is refused also when the default first day comes after the last day given', () => {
    // act
    const bind = () => bindSavedParameters(findSavedQuery('game_vs_non_game_share'), ['last_date=1999-12-31']);

    // assess
    expect(bind).toThrow('first_date 2000-01-01 is after last_date 1999-12-31');
  });
});
