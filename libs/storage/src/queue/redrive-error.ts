import type { FailedEntry } from './event-queue';

/**
 * Raised when SQS refuses to delete from the DLQ messages a redrive already sent to the source
 * queue: they are in both queues, and the next redrive would send them again. `failed` names
 * them by message id; `moved` counts the messages moved (sent and deleted) before.
 *
 * @example
 * await dlq.redrive().catch((error) => {
 *   if (error instanceof RedriveError) console.error(`${error.moved} moved; still in the DLQ:`, error.failed);
 *   throw error;
 * });
 */
export class RedriveError extends Error {
  constructor(
    readonly moved: number,
    readonly failed: readonly FailedEntry[],
  ) {
    const named = failed.map((entry) => `${entry.id} ${entry.code}${entry.message ? ` (${entry.message})` : ''}`);
    super(
      `${failed.length} message(s) sent back to the source queue but not deleted from the DLQ ` +
        `(the next redrive sends them again), after ${moved} moved: ${named.join(', ')}`,
    );
    this.name = 'RedriveError';
  }
}
