import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { appendCorrelationKeys, beginInvocation, createLogger, createMetrics, type Logger, type Metrics } from '@twitch-pipeline/observability';
import { createTracer } from '@twitch-pipeline/observability/tracing';
import { clearScratchLeftovers, InvalidStepInputError, lambdaScratchFolder, MissingSettingError, type PublishSummary, publishSnapshot } from '@twitch-pipeline/pipeline';
import { executionNameSchema, loadConfig, parseLakeKey } from '@twitch-pipeline/schemas';
import { AWS_CLIENT_OPTIONS, type EventQueue, type ObjectStore, S3ObjectStore, SqsEventQueue } from '@twitch-pipeline/storage';
import type { Context } from 'aws-lambda';
import { z } from 'zod';

/** Input of the publish function: the extract step's summary (other fields are ignored). */
const publishEventSchema = z.object({
  snapshotId: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be a snapshot id'),
  bronzeKey: z.string().min(1),
  /** The Step Functions execution it runs in, added to the extract's summary by the state machine. */
  executionName: executionNameSchema.optional(),
});

/** What the handler is wired with; every part defaults to the real AWS one. */
export interface PublishHandlerDependencies {
  env?: Record<string, string | undefined>;
  /** The lake; default: S3 bucket `LAKE_BUCKET`. */
  store?: ObjectStore;
  /** The queue; default: SQS queue `EVENTS_QUEUE_URL`. */
  queue?: EventQueue;
  logger?: Logger;
  metrics?: Metrics;
}

function required(value: string | undefined, variable: string): string {
  if (!value) throw new MissingSettingError(variable, 'the publish function cannot run without it');
  return value;
}

/**
 * Builds the publish Lambda, the state machine's step after extract: it reads the snapshot's
 * bronze object from `LAKE_BUCKET` and sends one event per live stream to
 * `EVENTS_QUEUE_URL`, returning the reconciled counts.
 *
 * @example
 * export const handler = createPublishHandler();
 * // Step Functions input: the extract step's output, { "snapshotId": "...", "bronzeKey": "..." }
 */
export function createPublishHandler(dependencies: PublishHandlerDependencies = {}) {
  const env = dependencies.env ?? process.env;
  const config = loadConfig(env);
  const logger = dependencies.logger ?? createLogger('publish');
  const metrics = dependencies.metrics ?? createMetrics('publish', logger);
  const tracer = createTracer('publish');
  const store =
    dependencies.store ?? new S3ObjectStore(tracer.captureAWSv3Client(new S3Client(AWS_CLIENT_OPTIONS)), required(config.aws.lakeBucket, 'LAKE_BUCKET'));
  const queue =
    dependencies.queue ??
    new SqsEventQueue(tracer.captureAWSv3Client(new SQSClient(AWS_CLIENT_OPTIONS)), required(config.aws.eventsQueueUrl, 'EVENTS_QUEUE_URL'));
  const scratchDirectory = lambdaScratchFolder('publish', env);
  clearScratchLeftovers(scratchDirectory, env, logger);

  return async function handler(event: unknown, context?: Context): Promise<PublishSummary> {
    beginInvocation({ logger, metrics }, context);
    try {
      const parsed = publishEventSchema.safeParse(event);
      if (!parsed.success) {
        throw new InvalidStepInputError(`invalid publish input: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
      }
      const { executionName, ...snapshot } = parsed.data;
      appendCorrelationKeys(logger, { snapshot_id: snapshot.snapshotId, dt: parseLakeKey(snapshot.bronzeKey)?.dt, execution_name: executionName });
      return await publishSnapshot({ store, queue, ...snapshot, timeZone: config.timeZone, logger, metrics, scratchDirectory });
    } catch (error) {
      logger.error('publish failed', error as Error);
      throw error;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
