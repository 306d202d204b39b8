import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, open, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalEventQueue, type OutgoingMessage } from '../src/index';

function messages(count: number, prefix = 'm'): OutgoingMessage[] {
  return Array.from({ length: count }, (_, index) => ({ id: String(index), body: `${prefix}-${index}` }));
}

async function sendAll(queue: LocalEventQueue, bodies: OutgoingMessage[]): Promise<void> {
  for (let start = 0; start < bodies.length; start += 10) await queue.sendBatch(bodies.slice(start, start + 10));
}

describe('LocalEventQueue', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'queue-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('delivers each sent message and forgets it once deleted', async () => {
    // prepare
    const queue = new LocalEventQueue(directory);
    await queue.sendBatch(messages(3));
    // act
    const { messages: received } = await queue.receive();
    for (const message of received) await queue.delete(message.receiptHandle);
    // assess
    expect(received.map((message) => message.body).sort()).toEqual(['m-0', 'm-1', 'm-2']);
    expect(received.every((message) => message.receiveCount === 1)).toBe(true);
    expect(await queue.counts()).toEqual({ visible: 0, inFlight: 0 });
    expect((await queue.receive()).messages).toEqual([]);
  });

  it('hides a received message until its visibility timeout ends, then delivers it again', async () => {
    // prepare
    const queue = new LocalEventQueue(directory, { visibilityTimeoutSeconds: 60 });
    await queue.sendBatch(messages(1));
    const [first] = (await queue.receive()).messages;
    // act
    const whileHidden = await queue.receive();
    const countsWhileHidden = await queue.counts();
    await queue.changeVisibility(first!.receiptHandle, 0);
    const [again] = (await queue.receive()).messages;
    // assess
    expect(whileHidden.messages).toEqual([]);
    expect(countsWhileHidden).toEqual({ visible: 0, inFlight: 1 });
    expect(again?.messageId).toBe(first?.messageId);
    expect(again?.receiveCount).toBe(2);
    expect(again?.receiptHandle).not.toBe(first?.receiptHandle);
  });

  it('moves a message to the DLQ after maxReceives deliveries, and redrives it with a fresh count', async () => {
    // prepare
    const queue = new LocalEventQueue(directory, { maxReceives: 3 });
    const dlq = queue.deadLetterQueue();
    await queue.sendBatch([{ id: '0', body: 'poison' }]);
    const counts: number[] = [];
    // act
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const { messages: received } = await queue.receive({ visibilityTimeoutSeconds: 0 });
      counts.push(...received.map((message) => message.receiveCount));
    }
    const fourth = await queue.receive({ visibilityTimeoutSeconds: 0 });
    const deadCount = await dlq.count();
    const peeked = await dlq.peek();
    const redriven = await dlq.redrive();
    const afterRedrive = (await queue.receive()).messages;
    // assess
    expect(counts).toEqual([1, 2, 3]);
    expect(fourth).toEqual({ messages: [], deadLettered: 1 });
    expect(deadCount).toBe(1);
    expect(peeked).toMatchObject([{ body: 'poison', receiveCount: 3 }]);
    expect(redriven).toEqual({ moved: 1 });
    expect(await dlq.count()).toBe(0);
    expect(afterRedrive).toMatchObject([{ body: 'poison', receiveCount: 1, messageId: peeked[0]!.messageId }]);
  });

  it('moves an empty or torn message file to the DLQ at once with the reason, and peek shows its raw text', async () => {
    // prepare: files a crash mid-write could have left under ready names
    const queue = new LocalEventQueue(directory, { maxReceives: 3 });
    await queue.sendBatch(messages(2));
    const ready = join(directory, 'ready');
    await writeFile(join(ready, '0000000000001_000001_empty.msg'), '');
    await writeFile(join(ready, '0000000000002_000001_torn.msg'), '{"messageId":"torn","body":"{\\"sch');
    // act
    const received = await queue.receive();
    const peeked = await queue.deadLetterQueue().peek();
    const redriven = await queue.deadLetterQueue().redrive();
    const again = await queue.receive();
    // assess
    expect(received.messages.map((message) => message.body).sort()).toEqual(['m-0', 'm-1']);
    expect(received.deadLettered).toBe(2);
    expect(peeked).toMatchObject([
      { messageId: 'empty', body: '', receiveCount: 1, reason: 'message file is empty' },
      { messageId: 'torn', body: '{"messageId":"torn","body":"{\\"sch', receiveCount: 1 },
    ]);
    expect(peeked[1]!.reason).toMatch(/^message file is not JSON/);
    expect(redriven).toEqual({ moved: 2 });
    expect(again).toEqual({ messages: [], deadLettered: 2 });
    expect((await readdir(join(directory, 'dead-letter'))).filter((name) => name.endsWith('.reason'))).toHaveLength(2);
  });

  it('dead-letters a received message at once with a reason, and a redrive clears the reason', async () => {
    // prepare
    const queue = new LocalEventQueue(directory, { maxReceives: 3 });
    await queue.sendBatch([{ id: '0', body: 'not an envelope' }]);
    const [message] = (await queue.receive()).messages;
    // act
    await queue.deadLetter(message!.receiptHandle, 'body is not JSON');
    const peeked = await queue.deadLetterQueue().peek();
    const counts = await queue.counts();
    await queue.deadLetterQueue().redrive();
    const left = await readdir(join(directory, 'dead-letter'));
    // assess
    expect(peeked).toMatchObject([{ body: 'not an envelope', receiveCount: 1, reason: 'body is not JSON' }]);
    expect(counts).toEqual({ visible: 0, inFlight: 0 });
    expect(left).toEqual([]);
    await expect(queue.deadLetter(message!.receiptHandle, 'again')).rejects.toThrow(/not in flight/);
  });

  it('counts, peeks and redrives only message files, not a folder named like one', async () => {
    // prepare: one dead letter, and a folder a hand made under a dead letter's name
    const queue = new LocalEventQueue(directory, { maxReceives: 1 });
    await queue.sendBatch(messages(1));
    await queue.receive({ visibilityTimeoutSeconds: 0 });
    await queue.receive({ visibilityTimeoutSeconds: 0 });
    await mkdir(join(directory, 'dead-letter', '0000000000001_1_folder.msg'));
    const dlq = queue.deadLetterQueue();
    // act
    const [count, peeked] = [await dlq.count(), await dlq.peek()];
    const redriven = await dlq.redrive();
    // assess
    expect(count).toBe(1);
    expect(peeked.map((letter) => letter.body)).toEqual(['m-0']);
    expect(redriven).toEqual({ moved: 1 });
  });

  it('redrives only as many dead letters as asked', async () => {
    // prepare
    const queue = new LocalEventQueue(directory, { maxReceives: 1 });
    await queue.sendBatch(messages(3));
    await queue.receive({ visibilityTimeoutSeconds: 0 });
    await queue.receive({ visibilityTimeoutSeconds: 0 });
    // act
    const result = await queue.deadLetterQueue().redrive(2);
    // assess
    expect(result).toEqual({ moved: 2 });
    expect(await queue.deadLetterQueue().count()).toBe(1);
    expect(await queue.counts()).toEqual({ visible: 2, inFlight: 0 });
  });

  it('never hands one message to two consumers sharing the folder at once', async () => {
    // prepare
    await sendAll(new LocalEventQueue(directory), messages(60));
    const consumers = [new LocalEventQueue(directory), new LocalEventQueue(directory), new LocalEventQueue(directory)];
    const seen: string[] = [];
    // act
    await Promise.all(
      consumers.map(async (consumer) => {
        for (;;) {
          const { messages: received } = await consumer.receive();
          if (received.length === 0) return;
          seen.push(...received.map((message) => message.body));
        }
      }),
    );
    // assess
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
  });

  it('sweeps half-written sends left by a killed process, and never lists them', async () => {
    // prepare
    const temporary = join(directory, 'tmp');
    await mkdir(temporary, { recursive: true });
    await writeFile(join(temporary, 'old.tmp'), '{"messageId":"x","bo');
    const anHourAgo = new Date(Date.now() - 2 * 3600 * 1000);
    await utimes(join(temporary, 'old.tmp'), anHourAgo, anHourAgo);
    await writeFile(join(temporary, 'recent.tmp'), '{"messageId":"y","bo');
    // Ages are read against the process clock, so both times are set from it.
    const now = new Date();
    await utimes(join(temporary, 'recent.tmp'), now, now);
    // act: the first receive sweeps (counting only reads)
    const queue = new LocalEventQueue(directory);
    await queue.counts();
    const counted = (await readdir(temporary)).sort();
    const received = await queue.receive();
    // assess
    expect(counted).toEqual(['old.tmp', 'recent.tmp']);
    expect(received.messages).toEqual([]);
    expect(await queue.counts()).toEqual({ visible: 0, inFlight: 0 });
    expect(await readdir(temporary)).toEqual(['recent.tmp']);
  });

  it('leaves no half-written file behind when a send fails to reach the disk', async () => {
    // prepare: every flush fails, as on a full disk
    const queue = new LocalEventQueue(directory);
    await queue.counts();
    const probe = await open(join(directory, 'probe'), 'w');
    const fileHandle = Object.getPrototypeOf(probe) as { sync(): Promise<void> };
    await probe.close();
    const sync = vi.spyOn(fileHandle, 'sync').mockRejectedValue(Object.assign(new Error('ENOSPC: no space left on device, fsync'), { code: 'ENOSPC' }));

    // act
    const failure = queue.sendBatch(messages(3)).finally(() => sync.mockRestore());

    // assess
    await expect(failure).rejects.toThrow(/ENOSPC/);
    expect(await readdir(join(directory, 'tmp'))).toEqual([]);
    expect(await queue.counts()).toEqual({ visible: 0, inFlight: 0 });
  });

  it('rejects batches SQS would reject', async () => {
    // prepare
    const queue = new LocalEventQueue(directory);
    // act
    const tooMany = queue.sendBatch(messages(11));
    const repeated = queue.sendBatch([
      { id: 'a', body: '1' },
      { id: 'a', body: '2' },
    ]);
    // assess
    await expect(tooMany).rejects.toThrow(/1 to 10/);
    await expect(repeated).rejects.toThrow(/unique/);
  });

  it('keeps every unacknowledged message of a consumer killed with SIGKILL and delivers it again', async () => {
    // prepare
    await sendAll(new LocalEventQueue(directory), messages(30));
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./queue-kill-child.ts', import.meta.url)), directory], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acknowledged = await new Promise<string[]>((done) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('\n')) done(JSON.parse(output.split('\n')[0]!) as string[]);
      });
    });
    // act
    child.kill('SIGKILL');
    await new Promise((done) => child.once('exit', done));
    const survivor = new LocalEventQueue(directory);
    const delivered: { body: string; receiveCount: number }[] = [];
    while (delivered.length < 26) {
      const { messages: received } = await survivor.receive({ waitTimeSeconds: 5 });
      if (received.length === 0) break;
      for (const message of received) {
        delivered.push({ body: message.body, receiveCount: message.receiveCount });
        await survivor.delete(message.receiptHandle);
      }
    }
    // assess
    expect(acknowledged).toHaveLength(4);
    const expected = messages(30)
      .map((message) => message.body)
      .filter((body) => !acknowledged.includes(body));
    expect(delivered.map((message) => message.body).sort()).toEqual(expected.sort());
    expect(delivered.filter((message) => message.receiveCount === 2)).toHaveLength(6);
    expect(await survivor.counts()).toEqual({ visible: 0, inFlight: 0 });
    expect(await readdir(join(directory, 'tmp'))).toEqual([]);
  });
});
