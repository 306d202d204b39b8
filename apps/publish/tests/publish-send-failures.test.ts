// The queue is the real SQS client with its transport replaced by aws-sdk-client-mock (no SQS
// emulator exists on npm); the mock answers as SQS does, the lake is s3rver.
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import { createMetrics } from '@twitch-pipeline/observability';
import { PublishError } from '@twitch-pipeline/pipeline';
import { S3ObjectStore } from '@twitch-pipeline/storage';
import { type S3Emulator, startS3Emulator } from '@twitch-pipeline/storage/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPublishHandler } from '../src/index';
import { bronzeRows, KEY, putBronze, QUEUE_URL, SNAPSHOT_ID } from './publish-fixtures';

const sqs = mockClient(SQSClient);
const TITLE = 'ao vivo \uFFFE agora \uFFFF!';
/** The characters SQS accepts in a message body: #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF. */
const SQS_CHARACTERS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

/** SendMessageBatch as SQS answers it: an entry whose body holds a character outside its set is refused. */
function sqsAnswer(entries: readonly SendMessageBatchRequestEntry[]) {
  const refused = entries.filter((entry) => !SQS_CHARACTERS.test(entry.MessageBody ?? ''));
  return {
    Successful: entries.filter((entry) => !refused.includes(entry)).map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}`, MD5OfMessageBody: 'x' })),
    Failed: refused.map((entry) => ({ Id: entry.Id, Code: 'InvalidMessageContents', SenderFault: true, Message: 'Invalid characters found' })),
  };
}

/** The entry ids of every SendMessageBatch call so far, call by call. */
function sentIds(): string[][] {
  return sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input.Entries!.map((entry) => entry.Id!));
}

describe('publish handler, when SQS refuses text or a whole request', () => {
  let s3: S3Emulator;
  let store: S3ObjectStore;
  const env = { EVENTS_QUEUE_URL: QUEUE_URL, LAKE_BUCKET: 'lake-send-failures' };
  const everyId = Array.from({ length: 50 }, (_, index) => `${SNAPSHOT_ID}-${String(index).padStart(6, '0')}`);

  beforeAll(async () => {
    s3 = await startS3Emulator();
    await s3.createBucket('lake-send-failures');
    store = new S3ObjectStore(s3.client, 'lake-send-failures');
    // 1,250 events: 50 messages of 25 in 5 send batches, more than the 4 sent at a time
    await putBronze(store, bronzeRows(1250, (index) => (index === 7 ? TITLE : `partida ${index}`)));
  });

  afterAll(async () => {
    await s3.stop();
  });

  beforeEach(() => {
    sqs.reset();
  });

  it('sends U+FFFE and U+FFFF of a title as JSON escapes, which SQS accepts and which parse back to the title', async () => {
    // prepare
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => sqsAnswer(input.Entries));
    const handler = createPublishHandler({ env, store });
    // act
    const summary = await handler({ snapshotId: SNAPSHOT_ID, bronzeKey: KEY });
    // assess
    const bodies = sqs.commandCalls(SendMessageBatchCommand).flatMap((call) => call.args[0].input.Entries!.map((entry) => entry.MessageBody!));
    const titled = bodies.filter((body) => body.includes('\\ufffe'));
    expect(summary).toMatchObject({ events: 1250, messages: 50, sendBatches: 5, retried: 0 });
    expect(bodies.filter((body) => !SQS_CHARACTERS.test(body))).toEqual([]);
    expect(titled).toHaveLength(1);
    expect(titled[0]).toContain('ao vivo \\ufffe agora \\uffff!');
    const events = JSON.parse(titled[0]!).events as { nome_streamer: string; titulo: string }[];
    expect(events.find((event) => event.nome_streamer === 'streamer_7')?.titulo).toBe(TITLE);
  });

  it('sends every other batch when a SendMessageBatch request throws, and names each of its messages in the PublishError', async () => {
    // prepare: the first request fails as a whole, with a fault of the sender (not sent again)
    const thrownFor: string[] = [];
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => {
      if (thrownFor.length > 0) return sqsAnswer(input.Entries);
      thrownFor.push(...input.Entries.map((entry) => entry.Id!));
      throw Object.assign(new Error('Batch requests cannot be longer than 262144 bytes'), { name: 'BatchRequestTooLong', $fault: 'client' });
    });
    const handler = createPublishHandler({ env, store });
    // act
    const error = await handler({ snapshotId: SNAPSHOT_ID, bronzeKey: KEY }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    // assess
    expect(error).toBeInstanceOf(PublishError);
    const { failed, attempts, events, message } = error as PublishError;
    expect(thrownFor).toHaveLength(10);
    expect(sentIds()).toHaveLength(5);
    expect(sentIds().flat().sort()).toEqual(everyId);
    expect(failed.map((entry) => entry.id)).toEqual(thrownFor);
    expect(new Set(failed.map(({ code, message: reason, senderFault }) => JSON.stringify({ code, reason, senderFault })))).toEqual(
      new Set([JSON.stringify({ code: 'BatchRequestTooLong', reason: 'Batch requests cannot be longer than 262144 bytes', senderFault: true })]),
    );
    expect({ attempts, events }).toEqual({ attempts: 1, events: { sent: 1000, notSent: 250 } });
    expect(message).toBe(
      '10 message(s) not published after 1 attempt(s) (250 event(s) not sent, 1000 sent): ' +
        `BatchRequestTooLong (Batch requests cannot be longer than 262144 bytes): ${thrownFor.slice(0, 5).join(', ')} and 5 more`,
    );
  });

  it('still writes the figures of a publish that fails, counting only the events that reached the queue', async () => {
    // prepare: the first request fails as a whole, with a fault of the sender (not sent again)
    let thrown = false;
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => {
      if (thrown) return sqsAnswer(input.Entries);
      thrown = true;
      throw Object.assign(new Error('Batch requests cannot be longer than 262144 bytes'), { name: 'BatchRequestTooLong', $fault: 'client' });
    });
    const sink = { info: vi.fn() };
    const handler = createPublishHandler({ env, store, metrics: createMetrics('publish', sink) });

    // act
    const error = await handler({ snapshotId: SNAPSHOT_ID, bronzeKey: KEY }).catch((failure: unknown) => failure);

    // assess: the line the dashboard's real-time widget reads, flushed by the failed invocation
    expect(error).toBeInstanceOf(PublishError);
    expect(sink.info).toHaveBeenCalledWith('figures', {
      figures: { EventsPublished: 1000, EventsSkipped: 0, MessagesPublished: 40, PublishRetries: 0 },
    });
  });

  it('sends again a request throttled past the SDK\'s own retries, and publishes the whole snapshot', async () => {
    // prepare
    let throttled = 0;
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => {
      if (throttled > 0) return sqsAnswer(input.Entries);
      throttled += 1;
      throw Object.assign(new Error('Rate exceeded'), { name: 'RequestThrottled', $fault: 'client' });
    });
    const handler = createPublishHandler({ env, store });
    // act
    const summary = await handler({ snapshotId: SNAPSHOT_ID, bronzeKey: KEY });
    // assess
    expect(summary).toMatchObject({ events: 1250, messages: 50, sendBatches: 5, retried: 10 });
    expect(sentIds()).toHaveLength(6);
    expect([...new Set(sentIds().flat())].sort()).toEqual(everyId);
  });
});
