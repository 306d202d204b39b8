import type { AlertRecord } from '@twitch-pipeline/schemas';

/** Outcome of {@link AlertLedger.claim}. */
export type AlertClaim =
  /** This caller may deliver the alert now. */
  | 'claimed'
  /** The alert was delivered already: nothing to do. */
  | 'delivered'
  /** Another deliverer claimed it and its lease still runs: try again later (it may crash). */
  | 'claimed-elsewhere';

/**
 * Where alerts are recorded, so that each is delivered at least once and, under redelivery, once.
 * A delivery is two-phase: `claim` (a conditional write of a pending record with a lease), then
 * the publishers, then `markDelivered`. A deliverer that crashes between the two leaves a
 * pending record whose lease runs out, and the next evaluation of the same events claims it
 * again and publishes: a crash never loses an alert (at worst, one killed after publishing and
 * before marking publishes it twice). `claim` must be atomic, so that two consumers handling the
 * same message cannot both claim one key.
 */
export interface AlertLedger {
  /** Claims the alert's key for `leaseMs`: new keys and pending keys whose lease ran out are claimed. */
  claim(alert: AlertRecord, leaseMs: number): Promise<AlertClaim>;
  /** Marks a claimed alert delivered; its key is never claimed again. */
  markDelivered(alert: AlertRecord): Promise<void>;
  /** Gives a pending claim back at once (its publishing failed), so that a retry can claim it. */
  release(key: string): Promise<void>;
}

/** Sends an alert somewhere people see it (SNS in AWS). Called only while the ledger's claim on the key is held. */
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
 * a redelivered message overwrites its own part instead of adding it twice. Beside them, the
 * collection times whose messages were evaluated and the categories watched then: a category
 * with no part at an evaluated time had no audience, while a time never evaluated (rules off,
 * the category not yet watched) gives no baseline to compare with.
 */
export interface CategoryAudienceStore {
  /** Stores one part; storing the same key again replaces it. */
  recordPartial(partial: CategoryAudiencePartial): Promise<void>;
  /** Marks a collection time evaluated for these categories; marking it again adds to them. */
  recordEvaluated(timestamp: string, categories: readonly string[]): Promise<void>;
  /** Total audience of the category at one collection time: the sum of its parts so far. */
  totalAt(category: string, timestamp: string): Promise<number>;
  /**
   * The newest collection time evaluated before `timestamp` and the category's total there (0
   * when it had no part); undefined when no earlier time was evaluated or the category was not
   * watched at the newest one.
   */
  previousTotal(category: string, beforeTimestamp: string): Promise<{ timestamp: string; total: number } | undefined>;
}
