import { ConfigError, loadConfig } from '@twitch-pipeline/schemas';

/** The stack settings the functions receive as environment variables. */
export interface FunctionSettings {
  intervalMinutes: number;
  languages: string;
  /** Empty for no cap. */
  maxStreamsPerLanguage: string;
  timeZone: string;
  realtimeTtlHours: number;
}

/** The variable each setting becomes in the functions' environment (see `environmentOf` in functions.ts). */
const SETTING_VARIABLES: Record<keyof FunctionSettings, string> = {
  intervalMinutes: 'PIPELINE_INTERVAL_MINUTES',
  languages: 'PIPELINE_LANGUAGES',
  maxStreamsPerLanguage: 'PIPELINE_MAX_STREAMS_PER_LANGUAGE',
  timeZone: 'PIPELINE_TIMEZONE',
  realtimeTtlHours: 'REALTIME_TTL_HOURS',
};

/**
 * Checks the settings with the functions' own `loadConfig`, so that preview refuses what every
 * run would refuse at start (`languages=klingon`, `timeZone=Mars/Olympus`,
 * `maxStreamsPerLanguage=0`) by the very rules the functions apply. Throws naming each bad key
 * in its namespace, why, and how to set it.
 *
 * @example
 * assertFunctionSettings('twitch-pipeline-pipeline', { intervalMinutes: 30, languages: 'pt,en', maxStreamsPerLanguage: '', timeZone: 'UTC', realtimeTtlHours: 48 });
 */
export function assertFunctionSettings(namespace: string, settings: FunctionSettings): void {
  const keys = Object.keys(SETTING_VARIABLES) as (keyof FunctionSettings)[];
  // An empty cap is no variable at all, as the functions receive it.
  const environment = Object.fromEntries(
    keys.filter((key) => settings[key] !== '').map((key) => [SETTING_VARIABLES[key], String(settings[key])]),
  );
  try {
    loadConfig(environment);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const lines = error.problems.map(({ variable, problem }) => {
      const key = keys.find((candidate) => SETTING_VARIABLES[candidate] === variable);
      if (key === undefined) return `  - ${variable}: ${problem}`;
      return `  - ${namespace}:${key}: ${problem} (got "${settings[key]}"); set it with "pulumi config set ${key} <value>"`;
    });
    throw new Error(`the functions would refuse these settings at every start:\n${lines.join('\n')}`);
  }
}
