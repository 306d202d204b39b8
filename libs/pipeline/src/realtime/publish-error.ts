import type { FailedEntry } from '@twitch-pipeline/storage';

/** Messages named in the error's text per reason; `failed` holds every one. */
const IDS_SHOWN = 5;

/** Events of a snapshot sent and not sent when its publish failed; they add up to the events to publish. */
export interface PublishedEvents {
  sent: number;
  notSent: number;
}

function reasons(failed: readonly FailedEntry[]): string {
  const byReason = new Map<string, string[]>();
  for (const entry of failed) {
    const reason = `${entry.code}${entry.message ? ` (${entry.message})` : ''}`;
    byReason.set(reason, [...(byReason.get(reason) ?? []), entry.id]);
  }
  return [...byReason]
    .map(([reason, ids]) => `${reason}: ${ids.slice(0, IDS_SHOWN).join(', ')}${ids.length > IDS_SHOWN ? ` and ${ids.length - IDS_SHOWN} more` : ''}`)
    .join('; ');
}

/**
 * Raised when the queue keeps failing (or refuses as malformed) entries or whole requests of send batches.
 *
 * @example
 * await publishSnapshot({ store, queue, bronzeKey, snapshotId, timeZone }).catch((error) => {
 *   if (error instanceof PublishError) console.error(`${error.events.notSent} event(s) not sent after ${error.attempts} attempt(s)`);
 *   throw error;
 * });
 */
export class PublishError extends Error {
  constructor(
    readonly failed: readonly FailedEntry[],
    readonly attempts: number,
    readonly events: PublishedEvents,
  ) {
    super(
      `${failed.length} message(s) not published after ${attempts} attempt(s) ` +
        `(${events.notSent} event(s) not sent, ${events.sent} sent): ${reasons(failed)}`,
    );
    this.name = 'PublishError';
  }
}
