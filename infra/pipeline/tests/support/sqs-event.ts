import { createHash, randomUUID } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';

/**
 * The event Lambda's SQS event source mapping delivers for these message bodies (first receive).
 *
 * @example
 * await handler(sqsEvent(['{"schema_version":1,...}'], 'arn:aws:sqs:sa-east-1:123456789012:events'), context);
 */
export function sqsEvent(bodies: readonly string[], queueArn: string): SQSEvent {
  const sentAt = Date.now();
  return {
    Records: bodies.map((body) => {
      const messageId = randomUUID();
      return {
        messageId,
        receiptHandle: `AQEB${createHash('sha256').update(messageId).digest('base64')}`,
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(sentAt),
          SenderId: 'AROAEXAMPLEID:twitch-pipeline-publish',
          ApproximateFirstReceiveTimestamp: String(sentAt + 50),
        },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: queueArn.split(':')[3] ?? 'sa-east-1',
      };
    }),
  };
}
