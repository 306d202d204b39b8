import { resolve } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { loadAlertRulesSync } from '@twitch-pipeline/alerts';
import { getLogRetentionDays, getWholeNumber, resourcePrefixes } from '@twitch-pipeline/infra-components';
import { assertFunctionSettings } from './function-settings';

/** The Lambda functions of the pipeline, by the name their app's package.json gives them. */
export const FUNCTION_NAMES = ['extract', 'publish', 'stream-consumer', 'transform-silver', 'transform-gold'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** The values `logLevel` accepts, most verbose first. */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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
  logLevel: LogLevel;
  /** Alerts address; a production stack refuses an empty or placeholder one. */
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

/** The prefix of each function's sizing keys in the stack file (`<prefix>MemoryMb`, `<prefix>TimeoutSeconds`). */
export const SIZING_KEYS: Record<FunctionName, string> = {
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

/**
 * True for a production stack: one named `prod` or `production`, alone or before a `-` suffix
 * (`prod`, `prod-eu`, `production-2`); stack names are lowercase with hyphens (see `assertStackName`).
 *
 * @example
 * isProductionStack('prod-eu'); // true
 * isProductionStack('dev'); // false
 */
export function isProductionStack(stack: string): boolean {
  return /^prod(uction)?([-_].*)?$/i.test(stack);
}

// Reserved for documentation and tests (RFC 2606, RFC 6761): mail to them never arrives.
const PLACEHOLDER_DOMAIN = /(^|\.)example\.(com|net|org)$|\.(example|invalid|localhost|test)$/i;
const ADDRESS = /^[^@\s]+@([^@\s]+\.[^@\s]+)$/;

/**
 * The alerts address a stack may use: a production stack needs a real, deliverable address (its
 * alarms would otherwise reach nobody); other stacks may leave it empty. Throws naming the key,
 * the value and how to set it.
 *
 * @example
 * alertEmailFor('prod', 'oncall@twitch-data.io'); // 'oncall@twitch-data.io'
 * alertEmailFor('prod', 'data-alerts@example.com'); // throws: a placeholder
 */
export function alertEmailFor(stack: string, email: string): string {
  const address = email.trim();
  const fix = 'set a monitored address with "pulumi config set alertEmail <address>"';
  if (address === '') {
    if (isProductionStack(stack)) throw new Error(`alertEmail is empty, and stack "${stack}" is a production stack: its alarms would reach nobody; ${fix}`);
    return address;
  }
  const domain = ADDRESS.exec(address)?.[1];
  if (!domain) throw new Error(`alertEmail "${address}" is not an e-mail address; ${fix}`);
  if (isProductionStack(stack) && PLACEHOLDER_DOMAIN.test(domain)) {
    throw new Error(`alertEmail "${address}" is a placeholder (${domain} never receives mail), and stack "${stack}" is a production stack; ${fix}`);
  }
  return address;
}

/** Reads and validates the rules file at preview time, so a bad rule never reaches the consumer. */
function alertRulesOf(path: string): string {
  return path ? JSON.stringify(loadAlertRulesSync(resolve(path))) : '';
}

/**
 * Reads the pipeline-stack settings, with defaults for plain keys left unset; the Twitch
 * credentials are required secrets. Refuses at preview a stack name or a value that AWS would
 * refuse at `pulumi up`, or the functions at every start.
 *
 * @example
 * const config = loadPipelineConfig();
 * config.sizing.extract.timeoutSeconds; // 600
 */
export function loadPipelineConfig(): PipelineStackConfig {
  const config = new pulumi.Config();
  const stack = pulumi.getStack();
  const { prefix } = resourcePrefixes(stack);
  const sizing = Object.fromEntries(
    Object.entries(SIZING_KEYS).map(([fn, key]) => {
      const fallback = DEFAULT_SIZING[fn as FunctionName];
      return [
        fn,
        {
          memoryMb: getWholeNumber(config, `${key}MemoryMb`, { min: 128, max: 10240 }) ?? fallback.memoryMb,
          timeoutSeconds: getWholeNumber(config, `${key}TimeoutSeconds`, { min: 1, max: 900 }) ?? fallback.timeoutSeconds,
        },
      ];
    }),
  ) as Record<FunctionName, FunctionSizing>;
  // What the functions receive as environment variables, checked by their own loadConfig below.
  const settings = {
    intervalMinutes: getWholeNumber(config, 'intervalMinutes', { min: 1, max: 1440 }) ?? 30,
    languages: config.get('languages') ?? 'pt,en,es',
    maxStreamsPerLanguage: config.get('maxStreamsPerLanguage') ?? '',
    timeZone: config.get('timeZone') ?? 'America/Sao_Paulo',
    realtimeTtlHours: getWholeNumber(config, 'realtimeTtlHours', { min: 1 }) ?? 48,
  };
  assertFunctionSettings(config.name, settings);
  return {
    prefix,
    dataStack: config.get('dataStack') ?? `organization/twitch-pipeline-data/${stack}`,
    artifactsDir: config.get('artifactsDir') ?? '../../dist/apps',
    ...settings,
    scheduleEnabled: config.getBoolean('scheduleEnabled') ?? true,
    logRetentionDays: getLogRetentionDays(config, 'logRetentionDays') ?? 30,
    logLevel: config.get<LogLevel>('logLevel', { allowedValues: [...LOG_LEVELS] }) ?? 'INFO',
    alertEmail: alertEmailFor(stack, config.get('alertEmail') ?? ''),
    alertRules: alertRulesOf(config.get('alertRulesFile') ?? ''),
    errorRateThresholdPercent: config.getNumber('errorRateThresholdPercent', { min: 0, max: 100 }) ?? 5,
    // The window is the error-rate alarms' period, and CloudWatch evaluates an alarm over 7 days at most.
    errorRateWindowMinutes: getWholeNumber(config, 'errorRateWindowMinutes', { min: 1, max: 10_080 }) ?? 60,
    consumerBatchSize: getWholeNumber(config, 'consumerBatchSize', { min: 1, max: 10 }) ?? 10,
    consumerMaxConcurrency: getWholeNumber(config, 'consumerMaxConcurrency', { min: 2, max: 1000 }) ?? 5,
    sizing,
    twitchClientId: config.requireSecret('twitchClientId'),
    twitchClientSecret: config.requireSecret('twitchClientSecret'),
  };
}
