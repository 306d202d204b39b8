import { createHash, randomUUID } from 'node:crypto';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:twitch-pipeline-events';

/**
 * An SQS record exactly as Lambda's event source mapping delivers it.
 *
 * @example
 * const record = sqsRecord('{"schema_version":1,...}', 2);
 */
export function sqsRecord(body: string, receiveCount = 1, messageId: string = randomUUID()): SQSRecord {
  const sentAt = Date.parse('2026-11-29T21:31:04.000Z');
  return {
    messageId,
    receiptHandle: `AQEB${createHash('sha256').update(messageId).digest('base64')}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(sentAt),
      SenderId: 'AROAEXAMPLEID:twitch-pipeline-publish',
      ApproximateFirstReceiveTimestamp: String(sentAt + 120),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: QUEUE_ARN,
    awsRegion: 'us-east-1',
  };
}

/**
 * An SQS event of the given records.
 *
 * @example
 * const event = sqsEvent([sqsRecord(body)]);
 */
export function sqsEvent(records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

/**
 * A Lambda context like the runtime's.
 *
 * @example
 * await handler(event, lambdaContext());
 */
export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'twitch-pipeline-stream-consumer',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:twitch-pipeline-stream-consumer',
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/twitch-pipeline-stream-consumer',
    logStreamName: '2026/11/29/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
