import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeadLetter, DeadLetterQueue, RedriveResult } from './event-queue';
import { type LocalQueueLayout, parseDeadLetterName, parseStoredMessage, reasonFileName, readyFileName } from './local-queue-files';

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * The dead-letter folder of a {@link LocalEventQueue}: count, peek and redrive. Each dead letter
 * may have a `.reason` file beside it saying why it was moved; peek shows a message file that
 * is not readable (empty, torn) as its raw text with that reason. A redrive
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
      const path = join(this.layout.deadLetter, name);
      try {
        const text = await readFile(path, 'utf8');
        const stored = parseStoredMessage(text);
        const reason = (await this.reasonOf(name)) ?? (typeof stored === 'string' ? stored : undefined);
        // An unreadable file is shown as its raw text, with the time it was last written.
        letters.push({
          messageId: parsed.messageId,
          body: typeof stored === 'string' ? text : stored.body,
          receiveCount: parsed.receiveCount,
          sentAt: typeof stored === 'string' ? (await stat(path)).mtime : new Date(stored.sentAt),
          ...(reason ? { reason } : {}),
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
        await rm(join(this.layout.deadLetter, reasonFileName(name)), { force: true });
        moved += 1;
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    return { moved };
  }

  private async reasonOf(name: string): Promise<string | undefined> {
    try {
      return await readFile(join(this.layout.deadLetter, reasonFileName(name)), 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  private async names(): Promise<string[]> {
    try {
      // Files only: a folder named like a message (made by hand) is none.
      return (await readdir(this.layout.deadLetter, { withFileTypes: true }))
        .filter((entry) => !entry.isDirectory() && parseDeadLetterName(entry.name))
        .map((entry) => entry.name)
        .sort();
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }
}
