import { join } from 'node:path';

/** The folders of a local queue; a message file is in exactly one of them. */
export interface LocalQueueLayout {
  ready: string;
  inFlight: string;
  deadLetter: string;
  /** Files being written, renamed into `ready` once whole. */
  temporary: string;
}

/** The content of a message file; it never changes while the message moves between folders. */
export interface StoredMessage {
  messageId: string;
  body: string;
  sentAt: string;
  groupId?: string;
  deduplicationId?: string;
}

/**
 * The folders of the local queue rooted at `directory`.
 *
 * @example
 * localQueueLayout('./data/queue').deadLetter; // './data/queue/dead-letter'
 */
export function localQueueLayout(directory: string): LocalQueueLayout {
  return {
    ready: join(directory, 'ready'),
    inFlight: join(directory, 'in-flight'),
    deadLetter: join(directory, 'dead-letter'),
    temporary: join(directory, 'tmp'),
  };
}

/**
 * Left-pads a number with zeros so that file names sort numerically.
 *
 * @example
 * pad(7, 3); // '007'
 */
export function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * The message id of a ready file name (`<enqueued-ms>_<sequence>_<message-id>.msg`), or undefined.
 *
 * @example
 * messageIdOfReadyName('1764451800000_000001_abc.msg'); // 'abc'
 */
export function messageIdOfReadyName(name: string): string | undefined {
  return /^\d+_\d+_([A-Za-z0-9-]+)\.msg$/.exec(name)?.[1];
}

let sequence = 0;

/**
 * A fresh ready-file name; sends and redrives share it so that ready files sort oldest first.
 *
 * @example
 * readyFileName('abc'); // '1764451800000_000001_abc.msg'
 */
export function readyFileName(messageId: string, now = Date.now()): string {
  sequence = (sequence + 1) % 1_000_000;
  return `${pad(now, 13)}_${pad(sequence, 6)}_${messageId}.msg`;
}

/**
 * Splits a dead-letter file name (`<moved-ms>_<receive-count>_<message-id>.msg`), or undefined.
 *
 * @example
 * parseDeadLetterName('1764451800000_3_abc.msg'); // { movedAt: 1764451800000, receiveCount: 3, messageId: 'abc' }
 */
export function parseDeadLetterName(name: string): { movedAt: number; receiveCount: number; messageId: string } | undefined {
  const match = /^(\d+)_(\d+)_([A-Za-z0-9-]+)\.msg$/.exec(name);
  if (!match) return undefined;
  return { movedAt: Number(match[1]), receiveCount: Number(match[2]), messageId: match[3]! };
}

/**
 * A dead-letter file name (`<moved-ms>_<receive-count>_<message-id>.msg`).
 *
 * @example
 * deadLetterFileName(1764451800000, 3, 'abc'); // '1764451800000_3_abc.msg'
 */
export function deadLetterFileName(movedAt: number, receiveCount: number, messageId: string): string {
  return `${pad(movedAt, 13)}_${receiveCount}_${messageId}.msg`;
}

/**
 * The file beside a dead letter that says why it was dead-lettered; a redrive removes it.
 *
 * @example
 * reasonFileName('1764451800000_3_abc.msg'); // '1764451800000_3_abc.msg.reason'
 */
export function reasonFileName(deadLetterName: string): string {
  return `${deadLetterName}.reason`;
}

/**
 * Reads the text of a message file as a {@link StoredMessage}; a file left empty or torn (a
 * crash mid-write) or not of this shape yields the reason instead.
 *
 * @example
 * const stored = parseStoredMessage(text);
 * if (typeof stored === 'string') console.warn(`unreadable message file: ${stored}`);
 */
export function parseStoredMessage(text: string): StoredMessage | string {
  if (text.length === 0) return 'message file is empty';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `message file is not JSON (${(error as Error).message})`;
  }
  const stored = value as Partial<StoredMessage> | null;
  if (typeof stored?.body !== 'string' || typeof stored.sentAt !== 'string' || Number.isNaN(Date.parse(stored.sentAt))) {
    return 'message file has no body or sent time';
  }
  return stored as StoredMessage;
}
