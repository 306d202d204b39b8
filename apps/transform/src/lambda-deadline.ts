import type { Context } from 'aws-lambda';

/** Time kept back for the object or date in progress and the step's end: two minutes at most. */
const RESERVE_MS = 120_000;

/**
 * A stop request for a step run by a Lambda: it says stopping once less time is left than the
 * reserve (two minutes, or half the time left at the start when that is less). The step then
 * starts no further object or date, and returns a summary naming what it left, which stays
 * pending for the next run, instead of being killed at the timeout and retried whole.
 *
 * @example
 * await runGold({ store, dates, stop: lambdaDeadline(lambdaContext) });
 */
export function lambdaDeadline(lambdaContext: Pick<Context, 'getRemainingTimeInMillis'> | undefined): { readonly stopping: boolean } | undefined {
  if (typeof lambdaContext?.getRemainingTimeInMillis !== 'function') return undefined;
  const reserve = Math.min(RESERVE_MS, lambdaContext.getRemainingTimeInMillis() / 2);
  return {
    get stopping() {
      return lambdaContext.getRemainingTimeInMillis() < reserve;
    },
  };
}
