import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsAlertHook } from '@twitch-pipeline/alerts';
import { beginInvocation, createLogger, createMetrics, type Logger, type Metrics, MetricUnit } from '@twitch-pipeline/observability';
import { createTracer } from '@twitch-pipeline/observability/tracing';
import { InvalidMessageError, MissingSettingError, type OnWritten, writeEnvelope } from '@twitch-pipeline/pipeline';
import { loadConfig } from '@twitch-pipeline/schemas';
import { AWS_CLIENT_OPTIONS, DynamoRealtimeTable, type RealtimeTable, SqsDeadLetterQueue } from '@twitch-pipeline/storage';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/** Time kept at the end of an invocation to report the batch and flush the metrics. */
const DEADLINE_MARGIN_MS = 3_000;

/**
 * The SDK options of the functions, with a shorter silence: DynamoDB, SQS and SNS answer in
 * milliseconds, and a request silent for 5 s is taken again (the SDK's retries) well within the
 * consumer's 30 s, where 30 s would use up the invocation on one attempt.
 */
const CONSUMER_CLIENT_OPTIONS = { requestHandler: { ...AWS_CLIENT_OPTIONS.requestHandler, socketTimeout: 5_000 } };

/** What the handler is wired with; every part defaults to the real AWS one. */
export interface ConsumerHandlerDependencies {
  env?: Record<string, string | undefined>;
  /** The table to write; default: DynamoDB table `REALTIME_TABLE`. */
  table?: RealtimeTable;
  /**
   * Hook after a message's events are written; an error fails that message only. Default: the
   * alert rules of `ALERT_RULES_FILE` (none when unset), once-only via the real-time table, to SNS.
   */
  onWritten?: OnWritten;
  logger?: Logger;
  metrics?: Metrics;
  /**
   * Where an invalid message goes at once, with its reason; default: the SQS queue
   * `EVENTS_DLQ_URL`. With none, it fails like any other message and SQS moves it to the DLQ
   * after the queue's receive limit, without a reason.
   */
  deadLetters?: Pick<SqsDeadLetterQueue, 'add'>;
}

function tableFromEnvironment(realtimeTable: string | undefined, client: DynamoDBDocumentClient): RealtimeTable {
  if (!realtimeTable) throw new MissingSettingError('REALTIME_TABLE', 'the consumer has no table to write');
  return new DynamoRealtimeTable(client, realtimeTable);
}

/**
 * Builds the SQS-triggered consumer Lambda. Each record is one versioned envelope of up to 25
 * events, written with one BatchWriteItem (unprocessed items retried with backoff) through the
 * same {@link writeEnvelope} the local consumer uses. Records fail one by one: the response
 * lists them in `batchItemFailures` (the event source mapping reports batch item failures),
 * so SQS redelivers only those, and after the queue's receive limit moves them to the DLQ. A
 * message no redelivery can fix (not an envelope, or with invalid events, whose valid ones are
 * written) goes to the DLQ at once with its reason, as the local consumer does, and counts as
 * handled.
 * A batch whose records all fail is reported the same way rather than thrown, so poison
 * messages do not count as function errors.
 *
 * @example
 * export const handler = createConsumerHandler();
 */
export function createConsumerHandler(dependencies: ConsumerHandlerDependencies = {}) {
  const config = loadConfig(dependencies.env ?? process.env);
  const logger = dependencies.logger ?? createLogger('stream-consumer');
  const metrics = dependencies.metrics ?? createMetrics('stream-consumer', logger);
  const tracer = createTracer('stream-consumer');
  const client = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient(CONSUMER_CLIENT_OPTIONS)));
  const table = dependencies.table ?? tableFromEnvironment(config.aws.realtimeTable, client);
  // Rules are read and validated at cold start: a bad rules file fails the deployment's first batch loudly.
  const onWritten =
    'onWritten' in dependencies
      ? dependencies.onWritten
      : awsAlertHook(config, table, client, {
          sns: tracer.captureAWSv3Client(new SNSClient(CONSUMER_CLIENT_OPTIONS)),
          onAlert: (alert) => {
            metrics.addMetric('AlertsRaised', MetricUnit.Count, 1);
            logger.info('alert raised', { rule: alert.rule, key: alert.key });
          },
          // Sent, so the message succeeds: a redelivery would send it again.
          onUnmarked: (alert, error) => logger.error('alert sent but not marked delivered in the ledger; a later sample of its stream may send it again', { key: alert.key, error }),
        });
  const processor = new BatchProcessor(EventType.SQS);
  const deadLetters =
    dependencies.deadLetters ??
    (config.aws.eventsDlqUrl ? new SqsDeadLetterQueue(tracer.captureAWSv3Client(new SQSClient(CONSUMER_CLIENT_OPTIONS)), config.aws.eventsDlqUrl) : undefined);

  const recordHandler = async (record: SQSRecord): Promise<void> => {
    try {
      const result = await writeEnvelope(table, record.body, { ttlHours: config.realtimeTtlHours, onWritten });
      metrics.addMetric('EventsWritten', MetricUnit.Count, result.written);
      metrics.addMetric('WriteRetries', MetricUnit.Count, result.retriedItems);
    } catch (error) {
      const invalid = error instanceof InvalidMessageError;
      const receiveCount = Number(record.attributes.ApproximateReceiveCount);
      if (!invalid) {
        logger.warn('message not consumed', { messageId: record.messageId, receiveCount, error: error as Error });
        throw error;
      }
      metrics.addMetric('InvalidMessages', MetricUnit.Count, 1);
      metrics.addMetric('EventsWritten', MetricUnit.Count, error.written);
      if (await deadLetter(record, error)) return;
      logger.warn('invalid message', { messageId: record.messageId, receiveCount, error });
      throw error;
    }
  };

  /** Moves an invalid message to the DLQ with its reason; false when there is none or the send failed (SQS then moves it later). */
  const deadLetter = async (record: SQSRecord, error: InvalidMessageError): Promise<boolean> => {
    if (!deadLetters) return false;
    try {
      await deadLetters.add({ messageId: record.messageId, body: record.body }, error.reason);
    } catch (sendError) {
      logger.error('invalid message not moved to the DLQ; it fails and SQS moves it after its receive limit', { messageId: record.messageId, error: sendError as Error });
      return false;
    }
    metrics.addMetric('MessagesDeadLettered', MetricUnit.Count, 1);
    logger.warn('invalid message moved to the DLQ', { messageId: record.messageId, reason: error.reason, written: error.written });
    return true;
  };

  /**
   * A record's work, failed when it is not done by `deadline`: one request DynamoDB throttles or
   * never answers would otherwise hold the batch past the function's timeout, and Lambda would
   * return the whole batch to the queue, the messages written included. The request left behind
   * may still land; a redelivered message writes the same items again.
   */
  const beforeDeadline = (record: SQSRecord, deadline: number): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`message not written within the function's time: ${Math.round(DEADLINE_MARGIN_MS / 1000)} s are kept to report the batch`);
        logger.warn('message not consumed', { messageId: record.messageId, error });
        reject(error);
      }, Math.max(0, deadline - Date.now()));
    });
    return Promise.race([recordHandler(record), late]).finally(() => clearTimeout(timer));
  };

  return async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
    const startedAt = Date.now();
    // Only the SQS event source mapping invokes this function; a test or a mistaken trigger (a
    // schedule, a console test event) gets a plain error rather than a TypeError from deep inside.
    if (!Array.isArray(event?.Records)) {
      beginInvocation({ logger, metrics }, context);
      const error = new Error(`invalid consumer input: expected an SQS event ({ "Records": [...] }), got ${describeEvent(event)}`);
      logger.error('batch not consumed', error);
      metrics.publishStoredMetrics();
      throw error;
    }
    beginInvocation({ logger, metrics }, context, { message_ids: event.Records.map((record) => record.messageId) });
    try {
      const deadline = startedAt + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;
      const response = await processPartialResponse(event, (record: SQSRecord) => beforeDeadline(record, deadline), processor, {
        context,
        throwOnFullBatchFailure: false,
      });
      metrics.addMetric('MessagesFailed', MetricUnit.Count, response.batchItemFailures.length);
      logger.info('batch consumed', { records: event.Records.length, failed: response.batchItemFailures.length });
      return response;
    } finally {
      metrics.addMetric('BatchLatency', MetricUnit.Milliseconds, Date.now() - startedAt);
      metrics.publishStoredMetrics();
    }
  };
}

/** What an event that is not an SQS batch holds, for the error: its kind and top-level keys, never its values. */
function describeEvent(event: unknown): string {
  if (event === null || typeof event !== 'object') return event === null ? 'null' : typeof event;
  const keys = Object.keys(event);
  return keys.length === 0 ? 'an empty object' : `an object with ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', …' : ''}`;
}
