import { SecureBucket } from '@twitch-pipeline/infra-components';
import { LAKE_PREFIXES } from '@twitch-pipeline/schemas';
import type { DataConfig } from './config';

/** Prefix of the Athena results bucket where query results are written. */
export const ATHENA_RESULTS_PREFIX = 'query-results/';
/** Prefix of the Athena results bucket where the DynamoDB connector spills large responses. */
export const ATHENA_SPILL_PREFIX = 'athena-spill/';

/** The lake and the Athena results bucket. */
export interface DataBuckets {
  lake: SecureBucket;
  athenaResults: SecureBucket;
}

/**
 * Creates the lake bucket (bronze, silver, gold and quarantine prefixes) and the Athena
 * results bucket, both private, SSE-S3 encrypted and TLS-only. The lake is versioned: an
 * overwritten or deleted object (a gold day rewritten by a bad run, a mistaken delete) can be
 * restored for the configured days, then its old versions expire. Bronze moves to Standard-IA
 * after the configured days; quarantine, query results and connector spills expire.
 *
 * @example
 * const { lake, athenaResults } = createBuckets(loadDataConfig());
 */
export function createBuckets(config: DataConfig): DataBuckets {
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
  });
  return { lake, athenaResults };
}
