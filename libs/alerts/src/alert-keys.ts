import { createHash } from 'node:crypto';

/**
 * Collection times in one canonical form (ISO-8601 UTC with milliseconds), so that keys and
 * orderings never depend on how a producer wrote its offset.
 *
 * @example
 * canonicalTimestamp('2026-11-29T18:30:00-03:00'); // '2026-11-29T21:30:00.000Z'
 */
export function canonicalTimestamp(timestamp: string): string {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) throw new Error(`invalid timestamp "${timestamp}"`);
  return date.toISOString();
}

/**
 * Category names are compared case- and space-insensitively ("just chatting" = "Just Chatting "),
 * and in one Unicode spelling (NFC: "é" typed in a rule and "e" + combining accent from Twitch).
 *
 * @example
 * categoryKey(' Just Chatting'); // 'just chatting'
 */
export function categoryKey(category: string): string {
  return category.normalize('NFC').trim().toLowerCase();
}

/**
 * Dedup key of a channel alert: one alert per rule and stream, whatever the delivery order.
 *
 * @example
 * streamAlertKey('viewer_jump', 'raids', '315254903'); // 'viewer_jump|raids|315254903'
 */
export function streamAlertKey(type: 'channel_live' | 'viewer_jump', rule: string, idStream: string): string {
  return `${type}|${rule}|${idStream}`;
}

/**
 * Dedup key of a category alert: one alert per rule, category and crossing time.
 *
 * @example
 * categoryAlertKey('jc-10k', 'Just Chatting', '2026-11-29T21:30:00Z');
 * // 'category_audience|jc-10k|just chatting|2026-11-29T21:30:00.000Z'
 */
export function categoryAlertKey(rule: string, category: string, timestamp: string): string {
  return `category_audience|${rule}|${categoryKey(category)}|${canonicalTimestamp(timestamp)}`;
}

/**
 * Deterministic key of a part of a category audience: a digest of the channels it sums, so the
 * same message redelivered yields the same key.
 *
 * @example
 * partialKeyOf(['gaules', 'casimiro']); // 'f1c3…' (24 hex characters)
 */
export function partialKeyOf(channels: readonly string[]): string {
  const digest = createHash('sha256');
  for (const channel of [...channels].sort()) digest.update(`${channel}\n`);
  return digest.digest('hex').slice(0, 24);
}

/**
 * A file or item name for any alert key: a SHA-256 digest, safe on every file system.
 *
 * @example
 * keyDigest('channel_live|pro|315254903'); // 40 hex characters
 */
export function keyDigest(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 40);
}
