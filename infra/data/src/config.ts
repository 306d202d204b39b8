import * as pulumi from '@pulumi/pulumi';
import { DYNAMODB_CONNECTOR_RELEASE, supportedConnectorRelease } from './connector-release';

/** Settings of the data stack (`Pulumi.<stack>.yaml`, namespace `twitch-pipeline-data`). */
export interface DataConfig {
  /** Prefix of named resources: `twitch-pipeline-<stack>`. */
  prefix: string;
  /** The same prefix with underscores, for names Athena SQL uses unquoted. */
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
}

/** Every project key the stack reads; the stack files must set exactly these. */
export const DATA_CONFIG_KEYS = [
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

/**
 * Reads the data-stack settings, with defaults for keys left unset.
 *
 * @example
 * const config = loadDataConfig();
 * config.rawInfrequentAccessDays; // 30
 */
export function loadDataConfig(): DataConfig {
  const config = new pulumi.Config();
  const stack = pulumi.getStack();
  return {
    prefix: `twitch-pipeline-${stack}`,
    sqlPrefix: `twitch_pipeline_${stack.replace(/[^A-Za-z0-9]/g, '_').toLowerCase()}`,
    // S3 bills Standard-IA for at least 30 days, so earlier transitions cost more than they save.
    rawInfrequentAccessDays: config.getNumber('rawInfrequentAccessDays', { min: 30 }) ?? 30,
    lakeNoncurrentVersionDays: config.getNumber('lakeNoncurrentVersionDays', { min: 1 }) ?? 30,
    quarantineExpirationDays: config.getNumber('quarantineExpirationDays', { min: 1 }) ?? 90,
    athenaResultsExpirationDays: config.getNumber('athenaResultsExpirationDays', { min: 1 }) ?? 7,
    athenaBytesScannedCutoffMb: config.getNumber('athenaBytesScannedCutoffMb', { min: 10 }) ?? 1024,
    projectionStartDate: config.get('projectionStartDate', { pattern: /^\d{4}-\d{2}-\d{2}$/ }) ?? '2025-01-01',
    crawlerSchedule: config.get('crawlerSchedule') ?? '',
    forceDestroy: config.getBoolean('forceDestroy') ?? false,
    realtimeDeletionProtection: config.getBoolean('realtimeDeletionProtection') ?? true,
    dynamodbConnectorVersion: supportedConnectorRelease(config.get('dynamodbConnectorVersion') ?? DYNAMODB_CONNECTOR_RELEASE),
    dynamodbConnectorMemoryMb: config.getNumber('dynamodbConnectorMemoryMb', { min: 128, max: 3008 }) ?? 1024,
    logRetentionDays: config.getNumber('logRetentionDays', { min: 1 }) ?? 30,
  };
}
