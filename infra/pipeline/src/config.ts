import { resolve } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { loadAlertRulesSync } from '@twitch-pipeline/alerts';

/** The Lambda functions of the pipeline, by the name their app's package.json gives them. */
export const FUNCTION_NAMES = ['extract', 'publish', 'stream-consumer', 'transform-silver', 'transform-gold'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** Memory and timeout of one function. */
export interface FunctionSizing {
  memoryMb: number;
  timeoutSeconds: number;
}

/** Settings of the pipeline stack (`Pulumi.<stack>.yaml`, namespace `twitch-pipeline-pipeline`). */
export interface PipelineStackConfig {
  /** Prefix of named resources: `twitch-pipeline-<stack>`. */
  prefix: string;
  /** Fully qualified name of the data stack, e.g. `organization/twitch-pipeline-data/prod`. */
  dataStack: string;
  /** Folder holding `<app>/<function>/` bundles, relative to this project. */
  artifactsDir: string;
  intervalMinutes: number;
  scheduleEnabled: boolean;
  languages: string;
  /** Empty for no cap. */
  maxStreamsPerLanguage: string;
  timeZone: string;
  realtimeTtlHours: number;
  logRetentionDays: number;
  logLevel: string;
  alertEmail: string;
  /** The consumer's real-time alert rules as compact JSON, validated at preview; "" for none. */
  alertRules: string;
  errorRateThresholdPercent: number;
  errorRateWindowMinutes: number;
  consumerBatchSize: number;
  consumerMaxConcurrency: number;
  sizing: Record<FunctionName, FunctionSizing>;
  twitchClientId: pulumi.Output<string>;
  twitchClientSecret: pulumi.Output<string>;
}

const SIZING_KEYS: Record<FunctionName, string> = {
  extract: 'extract',
  publish: 'publish',
  'stream-consumer': 'consumer',
  'transform-silver': 'silver',
  'transform-gold': 'gold',
};

const DEFAULT_SIZING: Record<FunctionName, FunctionSizing> = {
  extract: { memoryMb: 1024, timeoutSeconds: 600 },
  publish: { memoryMb: 1024, timeoutSeconds: 300 },
  'stream-consumer': { memoryMb: 256, timeoutSeconds: 30 },
  'transform-silver': { memoryMb: 2048, timeoutSeconds: 600 },
  'transform-gold': { memoryMb: 2048, timeoutSeconds: 600 },
};

/** Secret project keys: set with `pulumi config set --secret`, never as plain text. */
export const PIPELINE_SECRET_KEYS = ['twitchClientId', 'twitchClientSecret'] as const;

/** Every plain project key the stack reads; the stack files must set exactly these. */
export const PIPELINE_CONFIG_KEYS = [
  'alertEmail',
  'alertRulesFile',
  'artifactsDir',
  'consumerBatchSize',
  'consumerMaxConcurrency',
  'dataStack',
  'errorRateThresholdPercent',
  'errorRateWindowMinutes',
  'intervalMinutes',
  'languages',
  'logLevel',
  'logRetentionDays',
  'maxStreamsPerLanguage',
  'realtimeTtlHours',
  'scheduleEnabled',
  'timeZone',
  ...Object.values(SIZING_KEYS).flatMap((key) => [`${key}MemoryMb`, `${key}TimeoutSeconds`]),
] as const;

/** Reads and validates the rules file at preview time, so a bad rule never reaches the consumer. */
function alertRulesOf(path: string): string {
  return path ? JSON.stringify(loadAlertRulesSync(resolve(path))) : '';
}

/**
 * Reads the pipeline-stack settings, with defaults for plain keys left unset; the Twitch
 * credentials are required secrets.
 *
 * @example
 * const config = loadPipelineConfig();
 * config.sizing.extract.timeoutSeconds; // 600
 */
export function loadPipelineConfig(): PipelineStackConfig {
  const config = new pulumi.Config();
  const stack = pulumi.getStack();
  const sizing = Object.fromEntries(
    Object.entries(SIZING_KEYS).map(([fn, key]) => {
      const fallback = DEFAULT_SIZING[fn as FunctionName];
      return [
        fn,
        {
          memoryMb: config.getNumber(`${key}MemoryMb`, { min: 128, max: 10240 }) ?? fallback.memoryMb,
          timeoutSeconds: config.getNumber(`${key}TimeoutSeconds`, { min: 1, max: 900 }) ?? fallback.timeoutSeconds,
        },
      ];
    }),
  ) as Record<FunctionName, FunctionSizing>;
  return {
    prefix: `twitch-pipeline-${stack}`,
    dataStack: config.get('dataStack') ?? `organization/twitch-pipeline-data/${stack}`,
    artifactsDir: config.get('artifactsDir') ?? '../../dist/apps',
    intervalMinutes: config.getNumber('intervalMinutes', { min: 1, max: 1440 }) ?? 30,
    scheduleEnabled: config.getBoolean('scheduleEnabled') ?? true,
    languages: config.get('languages') ?? 'pt,en,es',
    maxStreamsPerLanguage: config.get('maxStreamsPerLanguage', { pattern: /^\d*$/ }) ?? '',
    timeZone: config.get('timeZone') ?? 'America/Sao_Paulo',
    realtimeTtlHours: config.getNumber('realtimeTtlHours', { min: 1 }) ?? 48,
    logRetentionDays: config.getNumber('logRetentionDays', { min: 1 }) ?? 30,
    logLevel: config.get('logLevel', { allowedValues: ['DEBUG', 'INFO', 'WARN', 'ERROR'] }) ?? 'INFO',
    alertEmail: config.get('alertEmail') ?? '',
    alertRules: alertRulesOf(config.get('alertRulesFile') ?? ''),
    errorRateThresholdPercent: config.getNumber('errorRateThresholdPercent', { min: 0, max: 100 }) ?? 5,
    errorRateWindowMinutes: config.getNumber('errorRateWindowMinutes', { min: 1 }) ?? 60,
    consumerBatchSize: config.getNumber('consumerBatchSize', { min: 1, max: 10 }) ?? 10,
    consumerMaxConcurrency: config.getNumber('consumerMaxConcurrency', { min: 2, max: 1000 }) ?? 5,
    sizing,
    twitchClientId: config.requireSecret('twitchClientId'),
    twitchClientSecret: config.requireSecret('twitchClientSecret'),
  };
}
