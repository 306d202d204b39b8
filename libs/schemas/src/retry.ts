/** Ceilings of an exponential backoff: the first retry's and the largest. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * Delay before retry number `attempt` (1-based): exponential backoff with full jitter, a uniform
 * draw in `[0, min(maxMs, baseMs × 2^(attempt-1)))`, so that clients failing together do not
 * retry together. It lives beside the schemas because both the Helix client and the DynamoDB
 * adapter retry with it, and this is the one library both of them build on.
 *
 * @example
 * fullJitterDelay(3, { baseMs: 200, maxMs: 8000 }); // somewhere in [0, 800)
 */
export function fullJitterDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
