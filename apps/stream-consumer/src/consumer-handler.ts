import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsAlertHook } from '@twitch-pipeline/alerts';
import { beginInvocation, createLogger, createMetrics, type Logger, type Metrics, MetricUnit } from '@twitch-pipeline/observability';
import { createTracer } from '@twitch-pipeline/observability/tracing';
import { InvalidMessageError, type OnWritten, writeEnvelope } from '@twitch-pipeline/pipeline';
import { loadConfig } from '@twitch-pipeline/schemas';
import { DynamoRealtimeTable, type RealtimeTable } from '@twitch-pipeline/storage';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

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
}

function tableFromEnvironment(realtimeTable: string | undefined, client: DynamoDBDocumentClient): RealtimeTable {
  if (!realtimeTable) throw new Error('REALTIME_TABLE is not set: the consumer has no table to write');
  return new DynamoRealtimeTable(client, realtimeTable);
}

/**
 * Builds the SQS-triggered consumer Lambda. Each record is one versioned envelope of up to 25
 * events, written with one BatchWriteItem (unprocessed items retried with backoff) through the
 * same {@link writeEnvelope} the local consumer uses. Records fail one by one: the response
 * lists them in `batchItemFailures` (the event source mapping reports batch item failures),
 * so SQS redelivers only those, and after the queue's receive limit moves them to the DLQ.
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
  const client = DynamoDBDocumentClient.from(createTracer('stream-consumer').captureAWSv3Client(new DynamoDBClient({})));
  const table = dependencies.table ?? tableFromEnvironment(config.aws.realtimeTable, client);
  // Rules are read and validated at cold start: a bad rules file fails the deployment's first batch loudly.
  const onWritten =
    'onWritten' in dependencies
      ? dependencies.onWritten
      : awsAlertHook(config, table, client, {
          onAlert: (alert) => {
            metrics.addMetric('AlertsRaised', MetricUnit.Count, 1);
            logger.info('alert raised', { rule: alert.rule, key: alert.key });
          },
        });
  const processor = new BatchProcessor(EventType.SQS);

  const recordHandler = async (record: SQSRecord): Promise<void> => {
    try {
      const result = await writeEnvelope(table, record.body, { ttlHours: config.realtimeTtlHours, onWritten });
      metrics.addMetric('EventsWritten', MetricUnit.Count, result.written);
      metrics.addMetric('WriteRetries', MetricUnit.Count, result.retriedItems);
    } catch (error) {
      const invalid = error instanceof InvalidMessageError;
      if (invalid) metrics.addMetric('InvalidMessages', MetricUnit.Count, 1);
      logger.warn(invalid ? 'invalid message' : 'message not written', {
        messageId: record.messageId,
        receiveCount: Number(record.attributes.ApproximateReceiveCount),
        error: error as Error,
      });
      throw error;
    }
  };

  return async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
    const startedAt = Date.now();
    beginInvocation({ logger, metrics }, context, { message_ids: event.Records.map((record) => record.messageId) });
    try {
      const response = await processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
      metrics.addMetric('MessagesFailed', MetricUnit.Count, response.batchItemFailures.length);
      logger.info('batch consumed', { records: event.Records.length, failed: response.batchItemFailures.length });
      return response;
    } finally {
      metrics.addMetric('BatchLatency', MetricUnit.Milliseconds, Date.now() - startedAt);
      metrics.publishStoredMetrics();
    }
  };
}
