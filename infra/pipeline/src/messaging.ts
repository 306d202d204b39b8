import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { PipelineStackConfig } from './config';

/** Receives before a message is moved to the dead-letter queue. */
const MAX_RECEIVE_COUNT = 3;
/** The visibility timeout is this many consumer timeouts, so retries inside one batch never overlap. */
const VISIBILITY_TIMEOUT_FACTOR = 6;

/** The events queue and its dead-letter queue. */
export interface EventQueues {
  queue: aws.sqs.Queue;
  deadLetterQueue: aws.sqs.Queue;
}

/**
 * Creates the events queue and its dead-letter queue, both encrypted with SQS-managed keys;
 * a message that fails three receives moves to the DLQ and stays there for 14 days.
 *
 * @example
 * const { queue, deadLetterQueue } = createEventQueues(config);
 */
export function createEventQueues(config: PipelineStackConfig): EventQueues {
  const deadLetterQueue = new aws.sqs.Queue('events-dlq', {
    name: `${config.prefix}-events-dlq`,
    sqsManagedSseEnabled: true,
    messageRetentionSeconds: 14 * 24 * 3600,
  });
  const queue = new aws.sqs.Queue('events', {
    name: `${config.prefix}-events`,
    sqsManagedSseEnabled: true,
    visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_FACTOR * config.sizing['stream-consumer'].timeoutSeconds,
    messageRetentionSeconds: 4 * 24 * 3600,
    receiveWaitTimeSeconds: 20,
  });
  new aws.sqs.RedrivePolicy('events', {
    queueUrl: queue.url,
    redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount: MAX_RECEIVE_COUNT }),
  });
  new aws.sqs.RedriveAllowPolicy('events-dlq', {
    queueUrl: deadLetterQueue.url,
    redriveAllowPolicy: pulumi.jsonStringify({ redrivePermission: 'byQueue', sourceQueueArns: [queue.arn] }),
  });
  return { queue, deadLetterQueue };
}

/**
 * Connects the consumer function to the events queue with partial batch responses: only the
 * messages the handler reports in `batchItemFailures` return to the queue.
 *
 * @example
 * connectConsumer(config, queues.queue, functions['stream-consumer'].function);
 */
export function connectConsumer(
  config: PipelineStackConfig,
  queue: aws.sqs.Queue,
  consumer: aws.lambda.Function,
): aws.lambda.EventSourceMapping {
  return new aws.lambda.EventSourceMapping('events-consumer', {
    eventSourceArn: queue.arn,
    functionName: consumer.arn,
    batchSize: config.consumerBatchSize,
    functionResponseTypes: ['ReportBatchItemFailures'],
    // Caps the consumer's concurrency so a backlog drains without throttling the table.
    scalingConfig: { maximumConcurrency: config.consumerMaxConcurrency },
  });
}
