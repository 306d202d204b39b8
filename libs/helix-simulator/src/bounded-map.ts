/**
 * Sets `key` in `cache` and drops the oldest entry once `cache` holds more than `limit`
 * (a Map iterates in insertion order, so the first key is the oldest).
 *
 * @example
 * rememberBounded(lists, minute, list, 3);
 */
export function rememberBounded<K, V>(cache: Map<K, V>, key: K, value: V, limit: number): void {
  cache.set(key, value);
  if (cache.size > limit) cache.delete(cache.keys().next().value as K);
}
