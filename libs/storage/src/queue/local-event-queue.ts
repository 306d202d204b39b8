import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  assertSendBatch,
  type EventQueue,
  MAX_RECEIVE_MESSAGES,
  type OutgoingMessage,
  type QueueCounts,
  type ReceivedMessage,
  type ReceiveOptions,
  type ReceiveResult,
  type SendBatchResult,
} from './event-queue';
import { namesInFolder, syncDirectory, writeFileDurably, writeSyncedFile } from '../local/durable-files';
import { LocalDeadLetterQueue } from './local-dead-letter-queue';
import {
  deadLetterFileName,
  type LocalQueueLayout,
  localQueueLayout,
  messageIdOfReadyName,
  pad,
  parseStoredMessage,
  readyFileName,
  reasonFileName,
  type StoredMessage,
} from './local-queue-files';

/** Settings of a local queue; the defaults match the pipeline configuration's. */
export interface LocalEventQueueOptions {
  /** How long a received message stays hidden (default 60). */
  visibilityTimeoutSeconds?: number;
  /** Receives after which a message moves to the DLQ instead of being delivered again (default 3). */
  maxReceives?: number;
}

const POLL_INTERVAL_MS = 100;
const STALE_TEMPORARY_MS = 60 * 60 * 1000;

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** An in-flight file name: `<visible-until-ms>_<receive-count>_<token>_<message-id>.msg`. */
function parseInFlightName(name: string): { visibleUntil: number; receiveCount: number; handle: string; messageId: string } | undefined {
  const match = /^(\d+)_(\d+)_([0-9a-f]+)_([A-Za-z0-9-]+)\.msg$/.exec(name);
  if (!match) return undefined;
  return {
    visibleUntil: Number(match[1]),
    receiveCount: Number(match[2]),
    handle: `${match[3]}_${match[4]}`,
    messageId: match[4]!,
  };
}

/**
 * A durable queue with SQS semantics kept as one file per message under a directory, so
 * that several processes (a scheduled `run`, a `dlq` command) can share it. Every state
 * change is one atomic `rename`: a message is in `ready/`, `in-flight/` (its file name holds
 * the end of its visibility timeout and its receive count) or `dead-letter/`. Two consumers
 * racing for one message both try the rename and only one wins. A process killed at any
 * point leaves every message in exactly one of those places, and an unacknowledged message
 * becomes visible again when its timeout ends: delivery is at least once.
 *
 * @example
 * const queue = new LocalEventQueue('./data/queue', { visibilityTimeoutSeconds: 60, maxReceives: 3 });
 * await queue.sendBatch([{ id: '0', body: '{"hello":1}' }]);
 * const { messages } = await queue.receive();
 * for (const message of messages) await queue.delete(message.receiptHandle);
 */
export class LocalEventQueue implements EventQueue {
  readonly location: string;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceives: number;
  private readonly layout: LocalQueueLayout;
  private folders: Promise<void> | undefined;
  /** Ready names listed by the last directory read and not taken yet; re-read when empty. */
  private backlog: string[] = [];

  constructor(directory: string, options: LocalEventQueueOptions = {}) {
    this.location = resolve(directory);
    this.layout = localQueueLayout(this.location);
    this.visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? 60;
    this.maxReceives = options.maxReceives ?? 3;
    if (!Number.isInteger(this.maxReceives) || this.maxReceives < 1) throw new Error('maxReceives must be a positive integer');
    if (this.visibilityTimeoutSeconds < 0) throw new Error('visibilityTimeoutSeconds must not be negative');
  }

  /** The dead-letter queue of this queue (its `dead-letter/` folder). */
  deadLetterQueue(): LocalDeadLetterQueue {
    return new LocalDeadLetterQueue(this.layout);
  }

  async sendBatch(messages: readonly OutgoingMessage[]): Promise<SendBatchResult> {
    assertSendBatch(messages);
    await this.ensureFolders();
    const sentAt = new Date().toISOString();
    // Names are taken in batch order before the parallel writes, so ready files keep that order.
    const files = messages.map((message) => {
      const stored: StoredMessage = {
        messageId: randomUUID(),
        body: message.body,
        sentAt,
        ...(message.groupId ? { groupId: message.groupId } : {}),
        ...(message.deduplicationId ? { deduplicationId: message.deduplicationId } : {}),
      };
      return { stored, name: readyFileName(stored.messageId) };
    });
    // Each file is flushed before its rename and the folder once after them all, so a power
    // loss never leaves an empty or torn message under a ready name.
    const writes = await Promise.allSettled(
      files.map(async ({ stored, name }) => {
        const temporary = join(this.layout.temporary, `${stored.messageId}.tmp`);
        try {
          await writeSyncedFile(temporary, JSON.stringify(stored));
          await rename(temporary, join(this.layout.ready, name));
        } catch (error) {
          await rm(temporary, { force: true });
          throw error;
        }
      }),
    );
    // A failed write (a full disk) is reported once every write has settled and cleaned up after
    // itself, so nothing is left behind; the caller sends the batch again.
    const failure = writes.find((write) => write.status === 'rejected');
    if (failure) throw failure.reason;
    await syncDirectory(this.layout.ready);
    return { sent: messages.map((message) => message.id), failed: [] };
  }

  async receive(options: ReceiveOptions = {}): Promise<ReceiveResult> {
    const maxMessages = Math.min(Math.max(options.maxMessages ?? MAX_RECEIVE_MESSAGES, 1), MAX_RECEIVE_MESSAGES);
    const timeout = options.visibilityTimeoutSeconds ?? this.visibilityTimeoutSeconds;
    const deadline = Date.now() + (options.waitTimeSeconds ?? 0) * 1000;
    await this.ensureFolders();
    let deadLettered = 0;
    for (;;) {
      const result = await this.receiveOnce(maxMessages, timeout);
      deadLettered += result.deadLettered;
      if (result.messages.length > 0 || Date.now() >= deadline) return { messages: result.messages, deadLettered };
      await new Promise((done) => setTimeout(done, Math.min(POLL_INTERVAL_MS, deadline - Date.now())));
    }
  }

  async delete(receiptHandle: string): Promise<void> {
    const name = await this.findInFlight(receiptHandle);
    if (name) await rm(join(this.layout.inFlight, name), { force: true });
  }

  async changeVisibility(receiptHandle: string, visibilityTimeoutSeconds: number): Promise<void> {
    const name = await this.findInFlight(receiptHandle);
    const parsed = name ? parseInFlightName(name) : undefined;
    if (!name || !parsed) throw new Error(`message of receipt handle ${receiptHandle} is not in flight`);
    const visibleUntil = Date.now() + visibilityTimeoutSeconds * 1000;
    const renamed = `${pad(visibleUntil, 13)}_${parsed.receiveCount}_${parsed.handle}.msg`;
    try {
      await rename(join(this.layout.inFlight, name), join(this.layout.inFlight, renamed));
    } catch (error) {
      if (isMissing(error)) throw new Error(`message of receipt handle ${receiptHandle} is not in flight`);
      throw error;
    }
  }

  /**
   * Moves an in-flight message to the dead-letter folder at once (one rename), then records the
   * reason beside it. A crash between the two leaves the message dead-lettered without a reason,
   * never lost nor duplicated.
   */
  async deadLetter(receiptHandle: string, reason: string): Promise<void> {
    const name = await this.findInFlight(receiptHandle);
    const parsed = name ? parseInFlightName(name) : undefined;
    if (!name || !parsed) throw new Error(`message of receipt handle ${receiptHandle} is not in flight`);
    if (!(await this.moveToDeadLetter(join(this.layout.inFlight, name), parsed.messageId, parsed.receiveCount, reason))) {
      throw new Error(`message of receipt handle ${receiptHandle} is not in flight`);
    }
  }

  /** Reads only: a queue never written (its folders missing, perhaps not to be made) holds nothing. */
  async counts(): Promise<QueueCounts> {
    const now = Date.now();
    const ready = (await namesInFolder(this.layout.ready)).filter((name) => messageIdOfReadyName(name)).length;
    let expired = 0;
    let hidden = 0;
    for (const name of await namesInFolder(this.layout.inFlight)) {
      const parsed = parseInFlightName(name);
      if (!parsed) continue;
      if (parsed.visibleUntil <= now) expired += 1;
      else hidden += 1;
    }
    return { visible: ready + expired, inFlight: hidden };
  }

  private async receiveOnce(maxMessages: number, timeoutSeconds: number): Promise<ReceiveResult> {
    const now = Date.now();
    const messages: ReceivedMessage[] = [];
    let deadLettered = 0;
    const take = async (path: string, messageId: string, previousReceives: number): Promise<void> => {
      const receiveCount = previousReceives + 1;
      if (receiveCount > this.maxReceives) {
        const reason = `not consumed after ${previousReceives} receive(s) (limit ${this.maxReceives})`;
        if (await this.moveToDeadLetter(path, messageId, previousReceives, reason)) deadLettered += 1;
        return;
      }
      const token = randomBytes(6).toString('hex');
      const name = `${pad(now + timeoutSeconds * 1000, 13)}_${receiveCount}_${token}_${messageId}.msg`;
      const target = join(this.layout.inFlight, name);
      if (!(await this.tryRename(path, target))) return;
      const stored = parseStoredMessage(await readFile(target, 'utf8'));
      if (typeof stored === 'string') {
        // No redelivery can repair a torn file: it goes to the DLQ as it is, with the reason.
        if (await this.moveToDeadLetter(target, messageId, receiveCount, stored)) deadLettered += 1;
        return;
      }
      messages.push({
        messageId,
        receiptHandle: `${token}_${messageId}`,
        body: stored.body,
        receiveCount,
        sentAt: new Date(stored.sentAt),
      });
    };
    // Expired deliveries first: they were sent before anything still waiting in ready/.
    const expired = (await readdir(this.layout.inFlight))
      .map((name) => ({ name, parsed: parseInFlightName(name) }))
      .filter((entry) => entry.parsed && entry.parsed.visibleUntil <= now)
      .sort((a, b) => a.parsed!.visibleUntil - b.parsed!.visibleUntil);
    for (const { name, parsed } of expired) {
      if (messages.length >= maxMessages) break;
      await take(join(this.layout.inFlight, name), parsed!.messageId, parsed!.receiveCount);
    }
    if (this.backlog.length === 0 && messages.length < maxMessages) {
      this.backlog = (await readdir(this.layout.ready)).filter((name) => messageIdOfReadyName(name)).sort();
    }
    while (messages.length < maxMessages && this.backlog.length > 0) {
      const name = this.backlog.shift()!;
      await take(join(this.layout.ready, name), messageIdOfReadyName(name)!, 0);
    }
    return { messages, deadLettered };
  }

  private async findInFlight(receiptHandle: string): Promise<string | undefined> {
    if (!/^[0-9a-f]+_[A-Za-z0-9-]+$/.test(receiptHandle)) throw new Error('invalid receipt handle');
    await this.ensureFolders();
    const suffix = `_${receiptHandle}.msg`;
    return (await readdir(this.layout.inFlight)).find((name) => name.endsWith(suffix));
  }

  /** Renames a message file into the dead-letter folder and writes its reason beside it; false if another consumer moved it first. */
  private async moveToDeadLetter(path: string, messageId: string, receiveCount: number, reason: string): Promise<boolean> {
    const name = deadLetterFileName(Date.now(), receiveCount, messageId);
    if (!(await this.tryRename(path, join(this.layout.deadLetter, name)))) return false;
    const temporary = join(this.layout.temporary, `${messageId}.reason.tmp`);
    await writeFileDurably(join(this.layout.deadLetter, reasonFileName(name)), reason, temporary);
    return true;
  }

  /** Renames unless another consumer moved the file first. */
  private async tryRename(from: string, to: string): Promise<boolean> {
    try {
      await rename(from, to);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  private ensureFolders(): Promise<void> {
    this.folders ??= Promise.all(
      [this.layout.ready, this.layout.inFlight, this.layout.deadLetter, this.layout.temporary].map((folder) =>
        mkdir(folder, { recursive: true }),
      ),
    ).then(() => this.removeStaleTemporaryFiles());
    return this.folders;
  }

  /** Deletes half-written sends a killed process left behind; a send never takes an hour. */
  private async removeStaleTemporaryFiles(): Promise<void> {
    const cutoff = Date.now() - STALE_TEMPORARY_MS;
    for (const name of await readdir(this.layout.temporary)) {
      const path = join(this.layout.temporary, name);
      try {
        if ((await stat(path)).mtimeMs < cutoff) await rm(path, { force: true });
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
  }
}
