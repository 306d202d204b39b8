import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { alarmDefinitions } from '../../../infra/pipeline/src/alarms';
import { FUNCTION_NAMES, type FunctionName, SIZING_KEYS } from '../../../infra/pipeline/src/config';

/** The settings of a pipeline stack the cost depends on, read from its `Pulumi.<stack>.yaml`. */
export interface StackSettings {
  stack: string;
  intervalMinutes: number;
  logRetentionDays: number;
  realtimeTtlHours: number;
  consumerBatchSize: number;
  errorRateThresholdPercent: number;
  errorRateWindowMinutes: number;
  memoryMb: Record<FunctionName, number>;
}

/**
 * Reads the pipeline stack's settings from its stack file (the values `pulumi up` deploys), so
 * the estimate follows every change of memory, schedule or retention.
 *
 * @example
 * readStackSettings('prod').memoryMb.extract; // 1024
 */
export function readStackSettings(stack: string): StackSettings {
  const file = fileURLToPath(new URL(`../../../infra/pipeline/Pulumi.${stack}.yaml`, import.meta.url));
  const text = readFileSync(file, 'utf8');
  const value = (key: string): number => {
    const match = new RegExp(`^\\s+twitch-pipeline-pipeline:${key}:\\s*"?([^"\\n]*)"?`, 'm').exec(text);
    const parsed = Number(match?.[1]);
    if (!match || !Number.isFinite(parsed)) throw new Error(`${file}: ${key} is not a number`);
    return parsed;
  };
  return {
    stack,
    intervalMinutes: value('intervalMinutes'),
    logRetentionDays: value('logRetentionDays'),
    realtimeTtlHours: value('realtimeTtlHours'),
    consumerBatchSize: value('consumerBatchSize'),
    errorRateThresholdPercent: value('errorRateThresholdPercent'),
    errorRateWindowMinutes: value('errorRateWindowMinutes'),
    memoryMb: Object.fromEntries(FUNCTION_NAMES.map((fn) => [fn, value(`${SIZING_KEYS[fn]}MemoryMb`)])) as Record<FunctionName, number>,
  };
}

/**
 * The billed metrics of every alarm the stack deploys (its alarm definitions, not a copy).
 *
 * @example
 * alarmMetricCount(readStackSettings('prod')); // 9
 */
export function alarmMetricCount(settings: StackSettings): { alarms: number; metrics: number } {
  const names = Object.fromEntries(FUNCTION_NAMES.map((fn) => [fn, fn])) as Record<FunctionName, string>;
  const alarms = alarmDefinitions(
    { prefix: 'cost', scheduleEnabled: true, ...settings },
    { functionNames: names, deadLetterQueueName: 'dlq', stateMachineArn: 'state-machine' },
  );
  return { alarms: alarms.length, metrics: alarms.reduce((sum, alarm) => sum + Object.keys(alarm.metrics).length, 0) };
}
