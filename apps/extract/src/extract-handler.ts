import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { appendCorrelationKeys, beginInvocation, createLogger, createMetrics, type Logger, type Metrics } from '@twitch-pipeline/observability';
import { createTracer } from '@twitch-pipeline/observability/tracing';
import { clearScratchLeftovers, collectionTimeFor, type ExtractSummary, extractSnapshot, InvalidStepInputError, lambdaScratchFolder, MissingSettingError } from '@twitch-pipeline/pipeline';
import { executionNameSchema, loadConfig, type PipelineConfig, snapshotIdFor } from '@twitch-pipeline/schemas';
import { AWS_CLIENT_OPTIONS, S3ObjectStore } from '@twitch-pipeline/storage';
import { HelixClient } from '@twitch-pipeline/twitch';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { CREDENTIALS_MAX_AGE_SECONDS, readTwitchCredentials, type TwitchCredentials } from './twitch-credentials';

/** Input of the extract function: the schedule's time, or nothing for "now". */
export interface ExtractEvent {
  /** ISO-8601 instant; rounded down to the collection interval. */
  collectedAt?: string;
  /** The Step Functions execution it runs in, logged as `execution_name`. */
  executionName?: string;
}

/** Time kept back from the Lambda deadline to publish objects, log and flush metrics. */
const TIME_RESERVE_MS = 20_000;

const eventSchema = z.object({ collectedAt: z.iso.datetime({ offset: true }).optional(), executionName: executionNameSchema.optional() });

/** What the handler is wired with; every part defaults to the real AWS one. */
export interface ExtractHandlerDependencies {
  env?: Record<string, string | undefined>;
  s3?: S3Client;
  /** Parameter Store reader of the credentials; default: a traced SSM client. */
  parameters?: SSMProvider;
  /** Seconds a read of the credentials is reused; default {@link CREDENTIALS_MAX_AGE_SECONDS}. */
  credentialsMaxAgeSeconds?: number;
  logger?: Logger;
  metrics?: Metrics;
  /** Clock for runs without a `collectedAt`, and for the maximum-age check of a given one. */
  now?: () => Date;
}

/** The Helix client of a warm container: its app token and pacer outlive one invocation. */
interface WarmTwitch {
  credentials: TwitchCredentials;
  client: HelixClient;
}

/**
 * Builds the extract Lambda handler. Configuration is read once per container; the Twitch
 * credentials come from the Parameter Store SecureString `TWITCH_SECRET_ARN` (re-read after
 * `credentialsMaxAgeSeconds`, so a rotation reaches warm containers), or from
 * `TWITCH_CLIENT_ID`/`TWITCH_CLIENT_SECRET` when no parameter is configured. The Helix client is
 * kept warm, so its app token is reused until the credentials change. Each invocation lands one
 * snapshot in `LAKE_BUCKET` and returns its summary for the state machine.
 *
 * @example
 * export const handler = createExtractHandler();
 * // Step Functions input: { "collectedAt": "2026-11-29T21:30:00Z", "executionName": "…" }
 */
export function createExtractHandler(dependencies: ExtractHandlerDependencies = {}) {
  const env = dependencies.env ?? process.env;
  const logger = dependencies.logger ?? createLogger('extract');
  const metrics = dependencies.metrics ?? createMetrics('extract', logger);
  const tracer = createTracer('extract');
  const now = dependencies.now ?? (() => new Date());
  let config: PipelineConfig | undefined;
  let store: S3ObjectStore | undefined;
  let parameters = dependencies.parameters;
  let warm: WarmTwitch | undefined;
  const scratchDirectory = lambdaScratchFolder('extract', env);
  clearScratchLeftovers(scratchDirectory, env, logger);

  const credentialsFor = (settings: PipelineConfig): Promise<TwitchCredentials> => {
    const { clientId, clientSecret, secretArn } = settings.twitch;
    if (secretArn) {
      parameters ??= new SSMProvider({ awsSdkV3Client: tracer.captureAWSv3Client(new SSMClient(AWS_CLIENT_OPTIONS)) });
      return readTwitchCredentials(parameters, secretArn, dependencies.credentialsMaxAgeSeconds ?? CREDENTIALS_MAX_AGE_SECONDS);
    }
    if (clientId && clientSecret) return Promise.resolve({ clientId, clientSecret });
    return Promise.reject(new MissingSettingError('TWITCH_SECRET_ARN', 'the extract needs the Twitch credentials parameter (or TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET)'));
  };

  const twitchClient = async (settings: PipelineConfig): Promise<HelixClient> => {
    const credentials = await credentialsFor(settings);
    const rotated = warm && (warm.credentials.clientId !== credentials.clientId || warm.credentials.clientSecret !== credentials.clientSecret);
    if (!warm || rotated) {
      if (rotated) logger.info('Twitch credentials changed: new app token');
      const { apiUrl, authUrl } = settings.twitch;
      warm = { credentials, client: new HelixClient({ apiUrl, authUrl, ...credentials, logger }) };
    }
    return warm.client;
  };

  return async function handler(event: ExtractEvent | null | undefined, context?: Context): Promise<ExtractSummary> {
    beginInvocation({ logger, metrics }, context);
    try {
      const input = eventSchema.safeParse(event ?? {});
      if (!input.success) {
        const field = input.error.issues[0]?.path[0] === 'executionName' ? 'executionName must be a Step Functions execution name' : 'collectedAt must be an ISO-8601 instant such as "2026-11-29T21:30:00Z"';
        throw new InvalidStepInputError(`invalid extract input: ${field}`);
      }
      // First, so that an execution failing on its settings is found by its name too.
      appendCorrelationKeys(logger, { execution_name: input.data.executionName });
      config ??= loadConfig(env);
      const bucket = config.aws.lakeBucket;
      if (!bucket) throw new MissingSettingError('LAKE_BUCKET', 'the extract needs the lake bucket name');
      store ??= new S3ObjectStore(dependencies.s3 ?? tracer.captureAWSv3Client(new S3Client(AWS_CLIENT_OPTIONS)), bucket);
      const collectedAt = collectionTimeFor(input.data.collectedAt, config.intervalMinutes, now());
      logger.appendKeys({ snapshot_id: snapshotIdFor(collectedAt), collected_at: collectedAt.toISOString() });
      const source = await twitchClient(config);
      // Stop with a clear error, and nothing written, before Lambda kills the invocation.
      const signal = context ? AbortSignal.timeout(Math.max(1000, context.getRemainingTimeInMillis() - TIME_RESERVE_MS)) : undefined;
      return await extractSnapshot({ source, store, config, collectedAt, now: now(), logger, metrics, signal, scratchDirectory });
    } catch (error) {
      logger.error('extract failed', error as Error);
      throw error;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
