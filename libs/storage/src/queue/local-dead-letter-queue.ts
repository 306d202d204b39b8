import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeadLetter, DeadLetterQueue, RedriveResult } from './event-queue';
import { type LocalQueueLayout, parseDeadLetterName, readyFileName, type StoredMessage } from './local-queue-files';

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * The dead-letter folder of a {@link LocalEventQueue}: count, peek and redrive. A redrive
 * renames each file back into the queue's `ready/` folder with a fresh receive count, one
 * atomic rename per message, so a redrive interrupted half-way loses and duplicates nothing.
 *
 * @example
 * const dlq = new LocalEventQueue('./data/queue').deadLetterQueue();
 * console.log(await dlq.count(), await dlq.peek(5));
 * await dlq.redrive();
 */
export class LocalDeadLetterQueue implements DeadLetterQueue {
  readonly location: string;

  constructor(private readonly layout: LocalQueueLayout) {
    this.location = layout.deadLetter;
  }

  async count(): Promise<number> {
    return (await this.names()).length;
  }

  async peek(limit = 10): Promise<DeadLetter[]> {
    const letters: DeadLetter[] = [];
    for (const name of await this.names()) {
      if (letters.length >= limit) break;
      const parsed = parseDeadLetterName(name)!;
      try {
        const stored = JSON.parse(await readFile(join(this.layout.deadLetter, name), 'utf8')) as StoredMessage;
        letters.push({
          messageId: parsed.messageId,
          body: stored.body,
          receiveCount: parsed.receiveCount,
          sentAt: new Date(stored.sentAt),
        });
      } catch (error) {
        // Redriven by another process between the listing and the read.
        if (!isMissing(error)) throw error;
      }
    }
    return letters;
  }

  async redrive(limit = Number.POSITIVE_INFINITY): Promise<RedriveResult> {
    await mkdir(this.layout.ready, { recursive: true });
    let moved = 0;
    for (const name of await this.names()) {
      if (moved >= limit) break;
      const { messageId } = parseDeadLetterName(name)!;
      try {
        await rename(join(this.layout.deadLetter, name), join(this.layout.ready, readyFileName(messageId)));
        moved += 1;
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    return { moved };
  }

  private async names(): Promise<string[]> {
    try {
      return (await readdir(this.layout.deadLetter)).filter((name) => parseDeadLetterName(name)).sort();
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }
}
