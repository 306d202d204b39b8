import * as pulumi from '@pulumi/pulumi';
import { getLogRetentionDays, getWholeNumber, resourcePrefixes } from '@twitch-pipeline/infra-components';
import { DYNAMODB_CONNECTOR_RELEASE, supportedConnectorRelease } from './connector-release';

/** Settings of the data stack (`Pulumi.<stack>.yaml`, namespace `twitch-pipeline-data`). */
export interface DataConfig {
  /** Prefix of named resources: `twitch-pipeline-<stack>`. */
  prefix: string;
  /** The same prefix with underscores, for names Athena SQL uses unquoted (one per stack name: see `resourcePrefixes`). */
  sqlPrefix: string;
  rawInfrequentAccessDays: number;
  /** Days an overwritten or deleted lake object's old version stays recoverable. */
  lakeNoncurrentVersionDays: number;
  quarantineExpirationDays: number;
  athenaResultsExpirationDays: number;
  athenaBytesScannedCutoffMb: number;
  /** First `dt` partition projection enumerates (YYYY-MM-DD). */
  projectionStartDate: string;
  /** Glue cron expression of the crawlers; empty for on-demand only. */
  crawlerSchedule: string;
  /** Lets `pulumi destroy` remove buckets and the workgroup that still hold data (dev only). */
  forceDestroy: boolean;
  realtimeDeletionProtection: boolean;
  dynamodbConnectorVersion: string;
  dynamodbConnectorMemoryMb: number;
  /** Days the connector's log group keeps its logs. */
  logRetentionDays: number;
  /** Days the lake's and the Athena results bucket's server access logs are kept before they expire. */
  accessLogExpirationDays: number;
}

/** Every project key the stack reads; the stack files must set exactly these. */
export const DATA_CONFIG_KEYS = [
  'accessLogExpirationDays',
  'athenaBytesScannedCutoffMb',
  'athenaResultsExpirationDays',
  'crawlerSchedule',
  'dynamodbConnectorMemoryMb',
  'dynamodbConnectorVersion',
  'forceDestroy',
  'lakeNoncurrentVersionDays',
  'logRetentionDays',
  'projectionStartDate',
  'quarantineExpirationDays',
  'rawInfrequentAccessDays',
  'realtimeDeletionProtection',
] as const;

/** The fields of a Glue cron expression: minutes, hours, day of month, month, day of week, year. */
const CRON_FIELD = /^[0-9A-Za-z*?,/#-]+$/;

/**
 * The crawlers' schedule, empty for none: Glue takes only `cron(…)` of six fields, with `?` in
 * exactly one of day of month and day of week, and would refuse another at `pulumi up`.
 *
 * @example
 * crawlerScheduleOf('twitch-pipeline-data:crawlerSchedule', 'cron(15 3 * * ? *)'); // 'cron(15 3 * * ? *)'
 * crawlerScheduleOf('twitch-pipeline-data:crawlerSchedule', 'every day'); // throws
 */
export function crawlerScheduleOf(key: string, value: string): string {
  const schedule = value.trim();
  if (schedule === '') return schedule;
  const fields = /^cron\((.*)\)$/.exec(schedule)?.[1]?.trim().split(/\s+/) ?? [];
  const valid = fields.length === 6 && fields.every((field) => CRON_FIELD.test(field)) && (fields[2] === '?') !== (fields[4] === '?');
  if (valid) return schedule;
  throw new Error(
    `${key} "${value}" is not a Glue schedule: it must be cron(minutes hours day-of-month month day-of-week year), ` +
      'six fields with "?" in exactly one of day-of-month and day-of-week, e.g. "cron(15 3 * * ? *)" (03:15 UTC daily), ' +
      'or "" to run the crawlers on demand only',
  );
}

/**
 * A YYYY-MM-DD date that exists in the calendar (`2025-13-45` and `2025-02-29` do not): partition
 * projection would refuse it only when Athena queries the tables.
 *
 * @example
 * calendarDateOf('twitch-pipeline-data:projectionStartDate', '2025-01-01'); // '2025-01-01'
 */
export function calendarDateOf(key: string, value: string): string {
  const [year, month, day] = (/^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim()) ?? []).slice(1).map(Number);
  if (year !== undefined && month !== undefined && day !== undefined) {
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) return value.trim();
  }
  throw new Error(`${key} "${value}" is not a calendar date of the form YYYY-MM-DD, e.g. "2025-01-01" (the first collection day)`);
}

/**
 * Reads the data-stack settings, with defaults for keys left unset; refuses at preview a stack
 * name or a value AWS would refuse only at `pulumi up`.
 *
 * @example
 * const config = loadDataConfig();
 * config.rawInfrequentAccessDays; // 30
 */
export function loadDataConfig(): DataConfig {
  const config = new pulumi.Config();
  const key = (name: string) => `${config.name}:${name}`;
  return {
    ...resourcePrefixes(pulumi.getStack()),
    // S3 bills Standard-IA for at least 30 days, so earlier transitions cost more than they save.
    rawInfrequentAccessDays: getWholeNumber(config, 'rawInfrequentAccessDays', { min: 30 }) ?? 30,
    lakeNoncurrentVersionDays: getWholeNumber(config, 'lakeNoncurrentVersionDays', { min: 1 }) ?? 30,
    quarantineExpirationDays: getWholeNumber(config, 'quarantineExpirationDays', { min: 1 }) ?? 90,
    athenaResultsExpirationDays: getWholeNumber(config, 'athenaResultsExpirationDays', { min: 1 }) ?? 7,
    athenaBytesScannedCutoffMb: getWholeNumber(config, 'athenaBytesScannedCutoffMb', { min: 10 }) ?? 1024,
    projectionStartDate: calendarDateOf(key('projectionStartDate'), config.get('projectionStartDate') ?? '2025-01-01'),
    crawlerSchedule: crawlerScheduleOf(key('crawlerSchedule'), config.get('crawlerSchedule') ?? ''),
    forceDestroy: config.getBoolean('forceDestroy') ?? false,
    realtimeDeletionProtection: config.getBoolean('realtimeDeletionProtection') ?? true,
    dynamodbConnectorVersion: supportedConnectorRelease(config.get('dynamodbConnectorVersion') ?? DYNAMODB_CONNECTOR_RELEASE),
    dynamodbConnectorMemoryMb: getWholeNumber(config, 'dynamodbConnectorMemoryMb', { min: 128, max: 3008 }) ?? 1024,
    logRetentionDays: getLogRetentionDays(config, 'logRetentionDays') ?? 30,
    accessLogExpirationDays: getWholeNumber(config, 'accessLogExpirationDays', { min: 1 }) ?? 90,
  };
}
