import { AccessLogBucket, SecureBucket } from '@twitch-pipeline/infra-components';
import { LAKE_PREFIXES } from '@twitch-pipeline/schemas';
import type { DataConfig } from './config';

/** Prefix of the Athena results bucket where query results are written. */
export const ATHENA_RESULTS_PREFIX = 'query-results/';
/** Prefix of the Athena results bucket where the DynamoDB connector spills large responses. */
export const ATHENA_SPILL_PREFIX = 'athena-spill/';

/** Prefixes of the access-log bucket under which each bucket's server access logs go. */
export const ACCESS_LOG_PREFIXES = { lake: 'lake/', athenaResults: 'athena-results/' } as const;

/** The lake, the Athena results bucket, and the bucket their server access logs go to. */
export interface DataBuckets {
  lake: SecureBucket;
  athenaResults: SecureBucket;
  accessLogs: AccessLogBucket;
}

/**
 * Creates the lake bucket (bronze, silver, gold and quarantine prefixes) and the Athena
 * results bucket, both private, SSE-S3 encrypted and TLS-only. The lake is versioned: an
 * overwritten or deleted object (a gold day rewritten by a bad run, a mistaken delete) can be
 * restored for the configured days, then its old versions expire. Bronze moves to Standard-IA
 * after the configured days; quarantine, query results and connector spills expire. Every request
 * to either bucket (who read or wrote which object) is recorded as an S3 server access log in a
 * third bucket, under a prefix per bucket, kept for `accessLogExpirationDays`: CloudTrail records
 * object reads and writes only as paid data events, which the stacks do not turn on.
 *
 * @example
 * const { lake, athenaResults } = createBuckets(loadDataConfig());
 */
export function createBuckets(config: DataConfig): DataBuckets {
  const accessLogs = new AccessLogBucket('access-logs', {
    expirationDays: config.accessLogExpirationDays,
    forceDestroy: config.forceDestroy,
  });
  const lake = new SecureBucket('lake', {
    forceDestroy: config.forceDestroy,
    versioned: true,
    noncurrentVersionDays: config.lakeNoncurrentVersionDays,
    lifecycleRules: [
      {
        id: 'bronze-to-infrequent-access',
        status: 'Enabled',
        filter: { prefix: LAKE_PREFIXES.bronze },
        transitions: [{ days: config.rawInfrequentAccessDays, storageClass: 'STANDARD_IA' }],
      },
      {
        id: 'quarantine-expiry',
        status: 'Enabled',
        filter: { prefix: LAKE_PREFIXES.quarantine },
        expiration: { days: config.quarantineExpirationDays },
      },
    ],
    accessLogs: accessLogs.target(ACCESS_LOG_PREFIXES.lake),
  });
  const athenaResults = new SecureBucket('athena-results', {
    forceDestroy: config.forceDestroy,
    lifecycleRules: [
      {
        id: 'query-results-expiry',
        status: 'Enabled',
        filter: { prefix: ATHENA_RESULTS_PREFIX },
        expiration: { days: config.athenaResultsExpirationDays },
      },
      {
        // Spills only live for the query that wrote them.
        id: 'connector-spill-expiry',
        status: 'Enabled',
        filter: { prefix: ATHENA_SPILL_PREFIX },
        expiration: { days: 1 },
      },
    ],
    accessLogs: accessLogs.target(ACCESS_LOG_PREFIXES.athenaResults),
  });
  accessLogs.admit([lake, athenaResults]);
  return { lake, athenaResults, accessLogs };
}
