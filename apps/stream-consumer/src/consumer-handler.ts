import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createLogger, createMetrics, type Logger, type Metrics, MetricUnit } from '@twitch-pipeline/observability';
import { InvalidMessageError, type OnWritten, writeEnvelope } from '@twitch-pipeline/pipeline';
import { loadConfig } from '@twitch-pipeline/schemas';
import { DynamoRealtimeTable, type RealtimeTable } from '@twitch-pipeline/storage';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/** What the handler is wired with; every part defaults to the real AWS one. */
export interface ConsumerHandlerDependencies {
  env?: Record<string, string | undefined>;
  /** The table to write; default: DynamoDB table `REALTIME_TABLE`. */
  table?: RealtimeTable;
  /** Hook after a message's events are written (alerting); an error fails that message only. */
  onWritten?: OnWritten;
  logger?: Logger;
  metrics?: Metrics;
}

function tableFromEnvironment(realtimeTable: string | undefined): RealtimeTable {
  if (!realtimeTable) throw new Error('REALTIME_TABLE is not set: the consumer has no table to write');
  return new DynamoRealtimeTable(DynamoDBDocumentClient.from(new DynamoDBClient({})), realtimeTable);
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
  const metrics = dependencies.metrics ?? createMetrics('stream-consumer');
  const table = dependencies.table ?? tableFromEnvironment(config.aws.realtimeTable);
  const processor = new BatchProcessor(EventType.SQS);

  const recordHandler = async (record: SQSRecord): Promise<void> => {
    try {
      const result = await writeEnvelope(table, record.body, { ttlHours: config.realtimeTtlHours, onWritten: dependencies.onWritten });
      metrics.addMetric('EventsWritten', MetricUnit.Count, result.written);
      metrics.addMetric('WriteRetries', MetricUnit.Count, result.retriedItems);
    } catch (error) {
      const invalid = error instanceof InvalidMessageError;
      if (invalid) metrics.addMetric('InvalidMessages', MetricUnit.Count, 1);
      logger.warn(invalid ? 'invalid message' : 'message not written', {
        messageId: record.messageId,
        receiveCount: Number(record.attributes.ApproximateReceiveCount),
        error: (error as Error).message,
      });
      throw error;
    }
  };

  return async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
    const startedAt = Date.now();
    logger.addContext(context);
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
