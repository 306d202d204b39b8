import type { AlertRecord } from '@twitch-pipeline/schemas';

/**
 * Where alerts are recorded once and only once. `recordIfAbsent` is the only guard against
 * duplicates: it must be atomic (a conditional write), so that two consumers handling the same
 * redelivered message cannot both accept the same key.
 */
export interface AlertLedger {
  /** Records the alert under its `key`; `true` if it was new, `false` if the key was already there. */
  recordIfAbsent(alert: AlertRecord): Promise<boolean>;
  /** Forgets a key, so that a delivery that failed after the record can be retried. */
  release(key: string): Promise<void>;
}

/** Sends an alert somewhere people see it (SNS in AWS). Called only after the ledger accepted the key. */
export interface AlertPublisher {
  publish(alert: AlertRecord): Promise<void>;
}

/** Part of a category's audience at one collection time, as seen in one queue message. */
export interface CategoryAudiencePartial {
  /** Category name, compared case-insensitively. */
  category: string;
  /** Collection time, ISO-8601 UTC. */
  timestamp: string;
  /** Deterministic key of the part (the same message always yields the same key). */
  partialKey: string;
  /** Sum of the viewers of the part's events. */
  espectadores: number;
}

/**
 * Running category audiences per snapshot, kept as partial sums keyed deterministically, so that
 * a redelivered message overwrites its own part instead of adding it twice.
 */
export interface CategoryAudienceStore {
  /** Stores one part; storing the same key again replaces it. */
  recordPartial(partial: CategoryAudiencePartial): Promise<void>;
  /** Total audience of the category at one collection time: the sum of its parts so far. */
  totalAt(category: string, timestamp: string): Promise<number>;
  /** The newest collection time before `timestamp` with an audience for the category, and its total. */
  previousTotal(category: string, beforeTimestamp: string): Promise<{ timestamp: string; total: number } | undefined>;
}
