/**
 * Delay before retry number `attempt` (1-based): exponential backoff with full jitter, a uniform
 * draw in `[0, min(maxMs, baseMs × 2^(attempt-1))]`, so that clients failing together do not
 * retry together.
 *
 * @example
 * fullJitterDelay(3, { baseMs: 200, maxMs: 8000 }); // somewhere in [0, 800]
 */
export function fullJitterDelay(
  attempt: number,
  options: { baseMs: number; maxMs: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Waits `ms` milliseconds; rejects with the signal's reason as soon as `signal` aborts.
 *
 * @example
 * await sleep(250, AbortSignal.timeout(1000));
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
