import type { FailedEntry } from '@twitch-pipeline/storage';

/** Raised when the queue keeps failing (or refuses as malformed) entries of a send batch. */
export class PublishError extends Error {
  constructor(
    readonly failed: readonly FailedEntry[],
    readonly attempts: number,
  ) {
    const first = failed[0];
    super(
      `${failed.length} message(s) not published after ${attempts} attempt(s)` +
        (first ? `: ${first.id} ${first.code}${first.message ? ` (${first.message})` : ''}` : ''),
    );
    this.name = 'PublishError';
  }
}
