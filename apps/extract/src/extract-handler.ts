import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createLogger, createMetrics, type Logger, type Metrics, MetricUnit } from '@twitch-pipeline/observability';
import { collectionTimeFor, type ExtractSummary, extractSnapshot } from '@twitch-pipeline/pipeline';
import { loadConfig, type PipelineConfig } from '@twitch-pipeline/schemas';
import { S3ObjectStore } from '@twitch-pipeline/storage';
import { HelixClient } from '@twitch-pipeline/twitch';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { readTwitchCredentials, type TwitchCredentials } from './twitch-credentials';

/** Input of the extract function: the schedule's time, or nothing for "now". */
export interface ExtractEvent {
  /** ISO-8601 instant; rounded down to the collection interval. */
  collectedAt?: string;
}

/** Time kept back from the Lambda deadline to publish objects, log and flush metrics. */
const TIME_RESERVE_MS = 20_000;

const eventSchema = z.object({ collectedAt: z.iso.datetime({ offset: true }).optional() });

/** What the handler is wired with; every part defaults to the real AWS one. */
export interface ExtractHandlerDependencies {
  env?: Record<string, string | undefined>;
  s3?: S3Client;
  secrets?: SecretsManagerClient;
  logger?: Logger;
  metrics?: Metrics;
  /** Clock for runs without a `collectedAt`. */
  now?: () => Date;
}

/** Credentials and Helix client of a warm container: the app token and its pacer outlive one invocation. */
interface WarmTwitch {
  credentials: Promise<TwitchCredentials>;
  client?: HelixClient;
}

/**
 * Builds the extract Lambda handler. Configuration is read once per container, the Twitch
 * credentials once per container from Secrets Manager (`TWITCH_SECRET_ARN`), or from
 * `TWITCH_CLIENT_ID`/`TWITCH_CLIENT_SECRET` when no secret is configured, and the Helix client
 * is kept warm so its app token is reused. Each invocation lands one snapshot in `LAKE_BUCKET`
 * and returns its summary for the state machine.
 *
 * @example
 * export const handler = createExtractHandler();
 * // Step Functions input: { "collectedAt": "2026-11-29T21:30:00Z" }
 */
export function createExtractHandler(dependencies: ExtractHandlerDependencies = {}) {
  const env = dependencies.env ?? process.env;
  const logger = dependencies.logger ?? createLogger('extract');
  const metrics = dependencies.metrics ?? createMetrics('extract');
  const now = dependencies.now ?? (() => new Date());
  let config: PipelineConfig | undefined;
  let store: S3ObjectStore | undefined;
  let warm: WarmTwitch | undefined;

  const twitchClient = async (settings: PipelineConfig): Promise<HelixClient> => {
    if (!warm) {
      const { clientId, clientSecret, secretArn } = settings.twitch;
      const credentials = secretArn
        ? readTwitchCredentials(dependencies.secrets ?? new SecretsManagerClient({}), secretArn)
        : clientId && clientSecret
          ? Promise.resolve({ clientId, clientSecret })
          : Promise.reject(new Error('no Twitch credentials: set TWITCH_SECRET_ARN (or TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET)'));
      warm = { credentials };
    }
    const current = warm;
    try {
      const { clientId, clientSecret } = await current.credentials;
      current.client ??= new HelixClient({ apiUrl: settings.twitch.apiUrl, authUrl: settings.twitch.authUrl, clientId, clientSecret, logger });
      return current.client;
    } catch (error) {
      // A failed read is not cached: the next invocation asks Secrets Manager again.
      if (warm === current) warm = undefined;
      throw error;
    }
  };

  return async function handler(event: ExtractEvent | null | undefined, context?: Context): Promise<ExtractSummary> {
    if (context) logger.addContext(context);
    try {
      config ??= loadConfig(env);
      const bucket = config.aws.lakeBucket;
      if (!bucket) throw new Error('LAKE_BUCKET is not set: the extract needs the lake bucket name');
      store ??= new S3ObjectStore(dependencies.s3 ?? new S3Client({}), bucket);
      const input = eventSchema.safeParse(event ?? {});
      if (!input.success) throw new Error(`invalid extract input: collectedAt must be an ISO-8601 instant such as "2026-11-29T21:30:00Z"`);
      const collectedAt = collectionTimeFor(input.data.collectedAt, config.intervalMinutes, now());
      const source = await twitchClient(config);
      // Stop with a clear error, and nothing written, before Lambda kills the invocation.
      const signal = context ? AbortSignal.timeout(Math.max(1000, context.getRemainingTimeInMillis() - TIME_RESERVE_MS)) : undefined;
      return await extractSnapshot({ source, store, config, collectedAt, logger, metrics, signal });
    } catch (error) {
      logger.error('extract failed', { error: (error as Error).message });
      metrics.addMetric('ExtractFailures', MetricUnit.Count, 1);
      throw error;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
