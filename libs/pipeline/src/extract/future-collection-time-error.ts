/**
 * Raised when a `collectedAt` lies in the future (a mistyped manual start): today's streams would land in a future partition.
 *
 * @example
 * await extractSnapshot({ ...input, collectedAt: new Date(Date.now() + 3_600_000) }); // rejects: an hour ahead, backfill or not
 */
export class FutureCollectionTimeError extends Error {
  constructor(collectedAt: Date, aheadMinutes: number) {
    super(
      `refusing to extract a snapshot for ${collectedAt.toISOString()}: it is ${aheadMinutes} minutes in the future; ` +
        "today's streams would land in that time's partition and pass for the newest data",
    );
    this.name = 'FutureCollectionTimeError';
  }
}
