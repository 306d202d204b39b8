import { setTimeout as delay } from 'node:timers/promises';

export { fullJitterDelay } from '@twitch-pipeline/schemas';

/**
 * Waits `ms` milliseconds on Node's abortable timer; rejects with the signal's own reason as
 * soon as `signal` aborts. Node rejects with a generic `AbortError`, but a crawl aborts its
 * sibling requests with the error that stopped it, and that error is what callers must see.
 *
 * @example
 * await sleep(250, AbortSignal.timeout(1000));
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(Math.max(0, ms), undefined, { signal });
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  }
}
