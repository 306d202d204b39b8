// No maintained SQS emulator exists on npm: the lake is a real S3 protocol server (s3rver)
// and the queue is the real SQS client with its transport replaced by aws-sdk-client-mock.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { queueEnvelopeSchema } from '@twitch-pipeline/schemas';
import { S3ObjectStore } from '@twitch-pipeline/storage';
import { type S3Emulator, startS3Emulator } from '@twitch-pipeline/storage/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { Logger } from '@twitch-pipeline/observability';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPublishHandler } from '../src/index';
import { bronzeRows, KEY, putBronze, QUEUE_URL, SNAPSHOT_ID } from './publish-fixtures';

const sqs = mockClient(SQSClient);

describe('publish handler', () => {
  let s3: S3Emulator;
  let store: S3ObjectStore;

  beforeAll(async () => {
    s3 = await startS3Emulator();
    await s3.createBucket('lake-publish');
    store = new S3ObjectStore(s3.client, 'lake-publish');
    await putBronze(store, bronzeRows(120));
  });

  afterAll(async () => {
    await s3.stop();
  });

  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
      Successful: input.Entries.map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}`, MD5OfMessageBody: 'x' })),
      Failed: [],
    }));
  });

  it('reads the bronze object from the lake and sends its events to EVENTS_QUEUE_URL', async () => {
    // prepare
    const handler = createPublishHandler({ env: { EVENTS_QUEUE_URL: QUEUE_URL, LAKE_BUCKET: 'lake-publish' }, store });
    // act
    const summary = await handler({ snapshotId: SNAPSHOT_ID, bronzeKey: KEY, dt: '2026-11-29', collected: 120 });
    // assess
    expect(summary).toMatchObject({ snapshotId: SNAPSHOT_ID, bronzeRows: 120, events: 120, skipped: {}, messages: 5, sendBatches: 1, retried: 0 });
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input.QueueUrl).toBe(QUEUE_URL);
    const envelopes = calls[0]!.args[0].input.Entries!.map((entry) => queueEnvelopeSchema.parse(JSON.parse(entry.MessageBody!)));
    expect(envelopes.map((envelope) => envelope.events.length)).toEqual([25, 25, 25, 25, 20]);
    // A category's events go together: Just Chatting's first, in bronze order.
    expect(envelopes[0]!.events[0]).toEqual({
      nome_streamer: 'streamer_1',
      timestamp: '2026-11-29T21:30:00.000Z',
      id_stream: '41000001',
      espectadores: 999,
      nome_categoria: 'Just Chatting',
      tipo_conteudo: 'Non-Game',
      periodo_dia: 'Night',
      titulo: 'partida 1',
      idioma: 'pt',
      iniciado_em: '2026-11-29T19:02:11.000Z',
    });
  });

  it("logs every line with the state machine's execution name, which it takes beside the extract's summary", async () => {
    // prepare: the state machine adds the name to the extract's output
    const logger = new Logger({ serviceName: 'publish', logLevel: 'INFO' });
    const handler = createPublishHandler({ env: { EVENTS_QUEUE_URL: QUEUE_URL, LAKE_BUCKET: 'lake-publish' }, store, logger });
    const lines: string[] = [];
    const spies = (['debug', 'info', 'warn', 'error', 'log'] as const).map((level) => vi.spyOn(console, level).mockImplementation((...parts) => lines.push(parts.map(String).join(' '))));

    // act
    const summary = await handler({ snapshotId: SNAPSHOT_ID, bronzeKey: KEY, collected: 120, executionName: 'cycle-20261129T213000Z' }).finally(() => {
      for (const spy of spies) spy.mockRestore();
    });

    // assess
    const records = lines.flatMap((line) => (line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : []));
    expect(summary.events).toBe(120);
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) expect(record).toMatchObject({ snapshot_id: SNAPSHOT_ID, execution_name: 'cycle-20261129T213000Z' });
  });

  it('sweeps at Init the scratch a cut-off invocation left in Lambda, and reads the bronze copy in that folder', async () => {
    // prepare: Lambda keeps /tmp across the reset that follows a timeout, then runs Init again
    const folder = await mkdtemp(join(tmpdir(), 'lambda-tmp-'));
    await mkdir(join(folder, 'publish', 'publish-a1b2c3'), { recursive: true });
    await writeFile(join(folder, 'publish', 'publish-a1b2c3', 'bronze.parquet'), 'PAR1');
    const env = { EVENTS_QUEUE_URL: QUEUE_URL, LAKE_BUCKET: 'lake-publish', LAMBDA_TASK_ROOT: '/var/task', TMPDIR: folder };

    const copiedTo: string[] = [];
    const watchedStore = Object.create(store, {
      getFile: {
        value: (key: string, path: string) => {
          copiedTo.push(path);
          return store.getFile(key, path);
        },
      },
    }) as S3ObjectStore;

    // act
    const handler = createPublishHandler({ env, store: watchedStore });
    const leftAfterInit = await readdir(join(folder, 'publish'));
    const summary = await handler({ snapshotId: SNAPSHOT_ID, bronzeKey: KEY });

    // assess: the bronze copy was read in the function's folder, which the run left empty
    expect(leftAfterInit).toEqual([]);
    expect(summary).toMatchObject({ bronzeRows: 120, events: 120 });
    expect(copiedTo.map((path) => dirname(dirname(path)))).toEqual([join(folder, 'publish')]);
    expect(await readdir(folder)).toEqual(['publish']);
    expect(await readdir(join(folder, 'publish'))).toEqual([]);
    await rm(folder, { recursive: true, force: true });
  });

  it('rejects an input without a bronze key', async () => {
    // prepare
    const handler = createPublishHandler({ env: { EVENTS_QUEUE_URL: QUEUE_URL, LAKE_BUCKET: 'lake-publish' }, store });
    // act
    const attempt = handler({ snapshotId: SNAPSHOT_ID });
    // assess
    await expect(attempt).rejects.toThrow(/bronzeKey/);
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidStepInputError' });
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('refuses an input whose snapshotId is not the snapshot its bronzeKey names, and publishes nothing', async () => {
    // prepare
    const handler = createPublishHandler({ env: { EVENTS_QUEUE_URL: QUEUE_URL, LAKE_BUCKET: 'lake-publish' }, store });
    // act
    const attempt = handler({ snapshotId: '20990101T000000Z', bronzeKey: KEY });
    // assess
    await expect(attempt).rejects.toThrow(`snapshot id "20990101T000000Z" is not the snapshot of bronze key "${KEY}" (${SNAPSHOT_ID}): nothing published`);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('refuses a bronzeKey that names no snapshot, and publishes nothing', async () => {
    // prepare
    const handler = createPublishHandler({ env: { EVENTS_QUEUE_URL: QUEUE_URL, LAKE_BUCKET: 'lake-publish' }, store });
    // act
    const attempt = handler({ snapshotId: SNAPSHOT_ID, bronzeKey: '../../etc/passwd' });
    // assess
    await expect(attempt).rejects.toThrow(/^bronze key "\.\.\/\.\.\/etc\/passwd" names no snapshot/);
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidStepInputError' });
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('refuses to start without EVENTS_QUEUE_URL', () => {
    // prepare
    const env = { LAKE_BUCKET: 'lake-publish' };
    // act
    const start = () => createPublishHandler({ env, store });
    // assess
    expect(start).toThrow(/EVENTS_QUEUE_URL/);
    expect(start).toThrow(expect.objectContaining({ name: 'MissingSettingError', variable: 'EVENTS_QUEUE_URL' }));
  });
});
