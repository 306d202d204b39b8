import { LAKE_PREFIXES } from '@twitch-pipeline/schemas';
import type { ObjectStore } from '@twitch-pipeline/storage';

/** An unreadable lake object a step met, and what it did about it. */
export interface CorruptObject {
  key: string;
  /** What is wrong with it (empty, truncated, torn, unreadable footer). */
  reason: string;
  /**
   * `quarantined`: the bytes now live under `quarantine/corrupt/<key>` with a `.reason.json`
   * beside them, and the key is free (a silver object is then rebuilt from its bronze object).
   * `skipped`: left in place and not read (an earlier gold partition in the trends window, or
   * the neighbouring date's silver object the estimate of hours watched joins across midnight).
   */
  action: 'quarantined' | 'skipped';
  /** The quarantine key of the bytes, when quarantined. */
  movedTo?: string;
  /**
   * Set when the object reads fine but another copy of its snapshot supersedes it (a slot
   * collected again under another date after the time zone changed): the key of the copy kept.
   */
  supersededBy?: string;
}

/**
 * The key an unreadable object's bytes are kept under.
 *
 * @example
 * corruptObjectKey('raw/streams/dt=2026-11-29/20261129T213000Z.parquet');
 * // 'quarantine/corrupt/raw/streams/dt=2026-11-29/20261129T213000Z.parquet'
 */
export function corruptObjectKey(key: string): string {
  return `${LAKE_PREFIXES.corrupt}${key}`;
}

/**
 * Moves an unreadable object aside: its bytes (from `localPath`, the copy the step read) go to
 * `quarantine/corrupt/<key>` and a JSON reason record beside them, and only then is the original
 * deleted, so the bytes are never lost and the steps stop tripping over it.
 *
 * @example
 * const moved = await quarantineCorruptObject(store, key, path, 'empty file (0 bytes)');
 */
export async function quarantineCorruptObject(store: ObjectStore, key: string, localPath: string, reason: string, now = new Date()): Promise<CorruptObject> {
  const movedTo = corruptObjectKey(key);
  await store.putFile(movedTo, localPath);
  await store.put(`${movedTo}.reason.json`, `${JSON.stringify({ key, reason, movedAt: now.toISOString() })}\n`);
  await store.delete(key);
  return { key, reason, action: 'quarantined', movedTo };
}
