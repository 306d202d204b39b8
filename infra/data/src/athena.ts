import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { SecureBucket } from '@twitch-pipeline/infra-components';
import { savedQueries } from '@twitch-pipeline/features';
import { ATHENA_RESULTS_PREFIX } from './buckets';
import type { DataConfig } from './config';

/** The workgroup and the saved queries deployed into it. */
export interface Analytics {
  workgroup: aws.athena.Workgroup;
  namedQueries: aws.athena.NamedQuery[];
}

/**
 * Creates the Athena workgroup, whose settings override the client's (results location,
 * encryption, engine version and a bytes-scanned cutoff that caps the cost of a runaway
 * query), and deploys every saved query of `@twitch-pipeline/features` as a named query.
 *
 * @example
 * const { workgroup } = createAnalytics(config, buckets.athenaResults, catalog.database);
 */
export function createAnalytics(
  config: DataConfig,
  results: SecureBucket,
  database: aws.glue.CatalogDatabase,
): Analytics {
  const workgroup = new aws.athena.Workgroup('analytics', {
    name: config.prefix,
    description: 'Twitch streams lake queries',
    state: 'ENABLED',
    forceDestroy: config.forceDestroy,
    configuration: {
      enforceWorkgroupConfiguration: true,
      publishCloudwatchMetricsEnabled: true,
      bytesScannedCutoffPerQuery: config.athenaBytesScannedCutoffMb * 1024 * 1024,
      engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
      resultConfiguration: {
        outputLocation: pulumi.interpolate`s3://${results.name}/${ATHENA_RESULTS_PREFIX}`,
        encryptionConfiguration: { encryptionOption: 'SSE_S3' },
      },
    },
  });
  const namedQueries = savedQueries().map(
    (query) =>
      new aws.athena.NamedQuery(query.name, {
        name: query.name,
        description: describe(query.description, query.parameters),
        database: database.name,
        workgroup: workgroup.name,
        query: query.sql,
      }),
  );
  return { workgroup, namedQueries };
}

/** The description plus the positional parameters, so the console shows what each `?` means. */
function describe(description: string, parameters: { name: string; description: string }[]): string {
  const params = parameters.map((parameter, index) => `?${index + 1} ${parameter.name}: ${parameter.description}`);
  return [description, ...params].join(' | ').slice(0, 1024);
}
