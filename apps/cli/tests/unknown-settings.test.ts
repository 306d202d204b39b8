import { describe, expect, it } from 'vitest';
import { unknownSettingWarnings } from '../src/cli/unknown-settings';
import { cliEnv, runCli, temporaryDataDir } from './support/cli-process';

describe('environment variables named like settings that are not', () => {
  it('names a mistyped setting with the one it looks like', () => {
    // act
    const warnings = unknownSettingWarnings({
      PIPELINE_TIME_ZONE: 'Asia/Tokyo',
      PIPELINE_LANGUAGE: 'pt',
      TWITCH_CLIENTID: 'id',
      ALERT_RULE_FILE: 'rules.json',
    });

    // assess
    expect(warnings).toEqual([
      'ALERT_RULE_FILE is not a setting and is ignored (did you mean ALERT_RULES_FILE?)',
      'PIPELINE_LANGUAGE is not a setting and is ignored (did you mean PIPELINE_LANGUAGES?)',
      'PIPELINE_TIME_ZONE is not a setting and is ignored (did you mean PIPELINE_TIMEZONE?)',
      'TWITCH_CLIENTID is not a setting and is ignored (did you mean TWITCH_CLIENT_ID?)',
    ]);
  });

  it('says nothing of the settings themselves, nor of other tools’ variables with the same prefixes', () => {
    // act
    const warnings = unknownSettingWarnings({
      PIPELINE_TIMEZONE: 'Asia/Tokyo',
      TWITCH_PIPELINE_DEBUG: '1',
      PIPELINE_WORKSPACE: '/home/vsts/work/1',
      TWITCH_OAUTH_TOKEN: 'secret',
      ALERT_EMAIL: 'me@example.com',
      PATH: '/usr/bin',
    });

    // assess
    expect(warnings).toEqual([]);
  });

  it('warns on stderr when a command reads the configuration, never showing the value', async () => {
    // prepare
    const env = cliEnv(await temporaryDataDir(), { PIPELINE_TIME_ZONE: 'Asia/Tokyo' });

    // act
    const result = await runCli(['status'], env);

    // assess
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: PIPELINE_TIME_ZONE is not a setting and is ignored (did you mean PIPELINE_TIMEZONE?)');
    expect(result.stderr).not.toContain('Asia/Tokyo');
  });
});
