/**
 * Raised when a `collectedAt` is too far in the past for a scheduled (non-backfill) extract.
 *
 * @example
 * const yesterday = new Date(Date.now() - 24 * 3_600_000);
 * await extractSnapshot({ ...input, collectedAt: yesterday }); // rejects: older than the default 180 minutes
 * await extractSnapshot({ ...input, collectedAt: yesterday, backfill: true }); // overwrites that snapshot on purpose
 */
export class StaleCollectionTimeError extends Error {
  constructor(collectedAt: Date, ageMinutes: number, maxMinutes: number) {
    super(
      `refusing to extract a snapshot for ${collectedAt.toISOString()}: it is ${ageMinutes} minutes old, more than the ` +
        `${maxMinutes} minutes PIPELINE_MAX_SNAPSHOT_AGE_MINUTES allows; today's streams would overwrite that snapshot (a backfill may do it on purpose)`,
    );
    this.name = 'StaleCollectionTimeError';
  }
}
