// No maintained SQS emulator exists on npm, so the SQS adapters are tested against the real
// AWS SDK client with its transport replaced by aws-sdk-client-mock.
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SqsDeadLetterQueue, SqsEventQueue } from '../src/index';
import { RedriveError } from '../src/queue/redrive-error';

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/twitch-events';
const FIFO_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/twitch-events.fifo';
const DLQ_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/twitch-events-dlq';

const sqs = mockClient(SQSClient);

function record(index: number, receiveCount = 1) {
  return {
    MessageId: `0d6b4c1e-7f39-4a5e-9d6c-00000000000${index}`,
    ReceiptHandle: `AQEB${index}handle`,
    Body: `{"n":${index}}`,
    MD5OfBody: 'ignored',
    Attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: '1764451800000' },
  };
}

describe('SqsEventQueue', () => {
  afterEach(() => {
    sqs.reset();
  });

  it('sends a batch and reports the entries SQS refused', async () => {
    // prepare
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: 'a', MessageId: 'x', MD5OfMessageBody: 'y' }],
      Failed: [{ Id: 'b', Code: 'InternalError', SenderFault: false, Message: 'try again' }],
    });
    const queue = new SqsEventQueue(new SQSClient({}), QUEUE_URL);
    // act
    const result = await queue.sendBatch([
      { id: 'a', body: '1', groupId: 'g', deduplicationId: 'd' },
      { id: 'b', body: '2' },
    ]);
    // assess
    expect(result).toEqual({ sent: ['a'], failed: [{ id: 'b', code: 'InternalError', message: 'try again', senderFault: false }] });
    const input = sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input;
    expect(input).toEqual({
      QueueUrl: QUEUE_URL,
      Entries: [
        { Id: 'a', MessageBody: '1' },
        { Id: 'b', MessageBody: '2' },
      ],
    });
  });

  it('sends group and deduplication ids to a FIFO queue only', async () => {
    // prepare
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: 'a', MessageId: 'x', MD5OfMessageBody: 'y' }], Failed: [] });
    const queue = new SqsEventQueue(new SQSClient({}), FIFO_URL);
    // act
    await queue.sendBatch([{ id: 'a', body: '1', groupId: 'g', deduplicationId: 'd' }]);
    // assess
    expect(sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.Entries).toEqual([
      { Id: 'a', MessageBody: '1', MessageGroupId: 'g', MessageDeduplicationId: 'd' },
    ]);
  });

  it('receives with receive counts, deletes and counts', async () => {
    // prepare
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [record(1, 2)] });
    sqs.on(DeleteMessageCommand).resolves({});
    sqs.on(GetQueueAttributesCommand).resolves({
      Attributes: { ApproximateNumberOfMessages: '7', ApproximateNumberOfMessagesNotVisible: '3' },
    });
    const queue = new SqsEventQueue(new SQSClient({}), QUEUE_URL);
    // act
    const received = await queue.receive({ maxMessages: 5, waitTimeSeconds: 2, visibilityTimeoutSeconds: 30 });
    await queue.delete(received.messages[0]!.receiptHandle);
    const counts = await queue.counts();
    // assess
    expect(received.deadLettered).toBe(0);
    expect(received.messages).toEqual([
      {
        messageId: record(1).MessageId,
        receiptHandle: 'AQEB1handle',
        body: '{"n":1}',
        receiveCount: 2,
        sentAt: new Date(1764451800000),
      },
    ]);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input).toMatchObject({
      MaxNumberOfMessages: 5,
      WaitTimeSeconds: 2,
      VisibilityTimeout: 30,
    });
    expect(sqs.commandCalls(DeleteMessageCommand)[0]!.args[0].input).toEqual({ QueueUrl: QUEUE_URL, ReceiptHandle: 'AQEB1handle' });
    expect(counts).toEqual({ visible: 7, inFlight: 3 });
  });
});

describe('SqsDeadLetterQueue', () => {
  afterEach(() => {
    sqs.reset();
  });

  it('counts and peeks, releasing the peeked messages at once', async () => {
    // prepare
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '2' } });
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [record(1, 4), record(2, 4)] });
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
    const dlq = new SqsDeadLetterQueue(new SQSClient({}), DLQ_URL, QUEUE_URL);
    // act
    const count = await dlq.count();
    const peeked = await dlq.peek(2);
    // assess
    expect(count).toBe(2);
    expect(peeked.map((letter) => letter.body)).toEqual(['{"n":1}', '{"n":2}']);
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)[0]!.args[0].input.Entries).toEqual([
      { Id: '0', ReceiptHandle: 'AQEB1handle', VisibilityTimeout: 0 },
      { Id: '1', ReceiptHandle: 'AQEB2handle', VisibilityTimeout: 0 },
    ]);
  });

  it('adds a message with its reason, and peek shows the reason', async () => {
    // prepare
    sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [{ ...record(1, 1), MessageAttributes: { reason: { DataType: 'String', StringValue: 'body is not JSON' } } }] });
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
    const dlq = new SqsDeadLetterQueue(new SQSClient({}), DLQ_URL);
    // act
    await dlq.add({ messageId: 'source-1', body: '{"n":1}' }, `body is not JSON ${'x'.repeat(2000)}`);
    const [letter] = await dlq.peek(1);
    const redrive = dlq.redrive();
    // assess
    const sent = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(sent.QueueUrl).toBe(DLQ_URL);
    expect(sent.MessageBody).toBe('{"n":1}');
    expect(sent.MessageAttributes?.source_message_id).toEqual({ DataType: 'String', StringValue: 'source-1' });
    expect(sent.MessageAttributes?.reason?.StringValue).toHaveLength(1000);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input.MessageAttributeNames).toEqual(['reason']);
    expect(letter).toMatchObject({ body: '{"n":1}', reason: 'body is not JSON' });
    await expect(redrive).rejects.toThrow(/no source queue/);
  });

  it('peeks past ten messages with long polls, then releases every one it held', async () => {
    // prepare: SQS gives at most ten a receive; an empty long poll means the DLQ has no more
    const batch = (from: number, size: number) => ({ Messages: Array.from({ length: size }, (_, index) => record(from + index)) });
    sqs.on(ReceiveMessageCommand).resolvesOnce(batch(0, 10)).resolvesOnce(batch(10, 10)).resolvesOnce(batch(20, 3)).resolves({ Messages: [] });
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
    const dlq = new SqsDeadLetterQueue(new SQSClient({}), DLQ_URL, QUEUE_URL);
    // act
    const peeked = await dlq.peek(25);
    // assess
    const receives = sqs.commandCalls(ReceiveMessageCommand).map((call) => call.args[0].input);
    const released = sqs.commandCalls(ChangeMessageVisibilityBatchCommand).flatMap((call) => call.args[0].input.Entries ?? []);
    expect(peeked.map((letter) => letter.body)).toEqual(Array.from({ length: 23 }, (_, index) => `{"n":${index}}`));
    expect(receives.map((input) => [input.MaxNumberOfMessages, input.WaitTimeSeconds])).toEqual([[10, 1], [10, 1], [5, 1], [2, 1]]);
    expect(released.map((entry) => entry.ReceiptHandle)).toEqual(Array.from({ length: 23 }, (_, index) => `AQEB${index}handle`));
    expect(new Set(released.map((entry) => entry.Id)).size).toBe(23);
    expect(released.every((entry) => entry.VisibilityTimeout === 0)).toBe(true);
  });

  it('shows a message once when it comes back while a peek gathers, and releases both of its holds', async () => {
    // prepare: the first message's hold runs out, and the next receive gets it again
    const again = { ...record(0), ReceiptHandle: 'AQEB0again' };
    sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: [record(0), record(1)] }).resolvesOnce({ Messages: [again, record(2)] }).resolves({ Messages: [] });
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
    const dlq = new SqsDeadLetterQueue(new SQSClient({}), DLQ_URL, QUEUE_URL);
    // act
    const peeked = await dlq.peek(10);
    // assess
    const released = sqs.commandCalls(ChangeMessageVisibilityBatchCommand).flatMap((call) => call.args[0].input.Entries ?? []);
    expect(peeked.map((letter) => letter.body)).toEqual(['{"n":0}', '{"n":1}', '{"n":2}']);
    expect(released.map((entry) => entry.ReceiptHandle).sort()).toEqual(['AQEB0again', 'AQEB0handle', 'AQEB1handle', 'AQEB2handle']);
    expect(new Set(released.map((entry) => entry.Id)).size).toBe(4);
  });

  it('redrives by copying to the source queue and deleting only what was delivered', async () => {
    // prepare
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [record(1), record(2), record(3)] })
      .resolvesOnce({ Messages: [] });
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [
        { Id: '0', MessageId: 'a', MD5OfMessageBody: 'x' },
        { Id: '2', MessageId: 'c', MD5OfMessageBody: 'x' },
      ],
      Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }],
    });
    sqs.on(DeleteMessageBatchCommand).resolves({ Successful: [{ Id: '0' }, { Id: '2' }], Failed: [] });
    const dlq = new SqsDeadLetterQueue(new SQSClient({}), DLQ_URL, QUEUE_URL);
    // act
    const result = await dlq.redrive();
    // assess
    expect(result).toEqual({ moved: 2 });
    expect(sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.QueueUrl).toBe(QUEUE_URL);
    expect(sqs.commandCalls(DeleteMessageBatchCommand)[0]!.args[0].input).toEqual({
      QueueUrl: DLQ_URL,
      Entries: [
        { Id: '0', ReceiptHandle: 'AQEB1handle' },
        { Id: '2', ReceiptHandle: 'AQEB3handle' },
      ],
    });
  });

  it('counts as moved only the messages deleted from the DLQ, and names those SQS did not delete', async () => {
    // prepare: every message reaches the source queue, and SQS refuses to delete the second
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [record(1), record(2), record(3)] })
      .resolvesOnce({ Messages: [record(4)] })
      .resolvesOnce({ Messages: [] });
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: ['0', '1', '2'].map((id) => ({ Id: id, MessageId: `sent-${id}`, MD5OfMessageBody: 'x' })),
      Failed: [],
    });
    sqs.on(DeleteMessageBatchCommand).resolves({
      Successful: [{ Id: '0' }, { Id: '2' }],
      Failed: [{ Id: '1', Code: 'ReceiptHandleIsInvalid', SenderFault: true, Message: 'handle expired' }],
    });
    const dlq = new SqsDeadLetterQueue(new SQSClient({}), DLQ_URL, QUEUE_URL);

    // act
    const failure = await dlq.redrive().catch((error: unknown) => error);

    // assess: the undeleted message is still in the DLQ (and in the source queue), so the redrive
    // stops there rather than count it, and the next redrive would send it again
    expect(failure).toMatchObject({
      moved: 2,
      failed: [{ id: record(2).MessageId, code: 'ReceiptHandleIsInvalid', message: 'handle expired', senderFault: true }],
    });
    expect(failure).toBeInstanceOf(RedriveError);
    expect((failure as Error).message).toContain(record(2).MessageId);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(1);
  });

  it('receives with long polling, so that an empty answer means an empty DLQ rather than a sample of its servers', async () => {
    // prepare
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [record(1)] })
      .resolvesOnce({ Messages: [] });
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'a', MD5OfMessageBody: 'x' }], Failed: [] });
    sqs.on(DeleteMessageBatchCommand).resolves({ Successful: [{ Id: '0' }], Failed: [] });
    const dlq = new SqsDeadLetterQueue(new SQSClient({}), DLQ_URL, QUEUE_URL);

    // act
    const result = await dlq.redrive();

    // assess: short polling (a wait of 0, the DLQ's default) may answer empty while messages remain
    expect(result).toEqual({ moved: 1 });
    const waits = sqs.commandCalls(ReceiveMessageCommand).map((call) => call.args[0].input.WaitTimeSeconds);
    expect(waits).toHaveLength(2);
    for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(1);
  });
});
