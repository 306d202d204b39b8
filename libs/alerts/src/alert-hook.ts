import type { AlertRecord, AlertRule, AlertRules, RealtimeEvent } from '@twitch-pipeline/schemas';
import { type AdjacentSample, evaluateAlerts, type Sample } from './evaluate-alerts';
import type { AlertLedger, AlertPublisher, CategoryAudienceStore } from './ports';

/** The part of the real-time table port alerting reads: a channel's items, newest first. */
export interface ChannelSamples {
  queryByStreamer(nomeStreamer: string, options?: { limit?: number; before?: string }): Promise<Sample[]>;
}

/** Items read to find the sample after a given one (a reordering deeper than this is not looked at). */
const NEXT_SAMPLE_LOOKBACK = 12;

/**
 * The previous and next sample lookups over the real-time table's key design (partition
 * `nome_streamer`, sort `timestamp`, newest first). The next sample is found among the newest
 * items when they reach back to the given time, so it costs one query and never guesses.
 *
 * @example
 * const { previousSample, nextSample } = samplesFrom(table);
 */
export function samplesFrom(table: ChannelSamples): { previousSample: AdjacentSample; nextSample: AdjacentSample } {
  return {
    previousSample: async (login, timestamp) => (await table.queryByStreamer(login, { before: timestamp, limit: 1 }))[0],
    nextSample: async (login, timestamp) => {
      const at = Date.parse(timestamp);
      const newest = await table.queryByStreamer(login, { limit: NEXT_SAMPLE_LOOKBACK });
      const later = newest.filter((item) => Date.parse(item.timestamp) > at);
      const reachesBack = later.length < newest.length || newest.length < NEXT_SAMPLE_LOOKBACK;
      return reachesBack ? later.at(-1) : undefined;
    },
  };
}

/** Wiring of {@link createAlertHook}. */
export interface AlertHookOptions {
  rules: AlertRules | readonly AlertRule[];
  table: ChannelSamples;
  ledger: AlertLedger;
  categoryAudience?: CategoryAudienceStore;
  publishers?: readonly AlertPublisher[];
  /** Called with each alert delivered (for logs and metrics). */
  onAlert?: (alert: AlertRecord) => void;
  /** How long a claim protects a delivery in progress; the evaluator's `claimLeaseMs`. */
  claimLeaseMs?: number;
}

/**
 * The consumer's `onWritten` hook: evaluates the rules on each message's events right after
 * they are written to the real-time table. An error fails that message only, so it is
 * delivered again and evaluated again; the ledger's claims keep each alert delivered at least
 * once, and once under redelivery.
 *
 * @example
 * const onWritten = createAlertHook({ rules, table, ledger: new LocalAlertLog(join(dataDir, 'alerts')) });
 * await drainLocalQueue({ queue, table, ttlHours, onWritten });
 */
export function createAlertHook(options: AlertHookOptions): (events: readonly RealtimeEvent[]) => Promise<void> {
  const { previousSample, nextSample } = samplesFrom(options.table);
  return async (events) => {
    const delivered = await evaluateAlerts({
      events,
      rules: options.rules,
      previousSample,
      nextSample,
      categoryAudience: options.categoryAudience,
      ledger: options.ledger,
      publishers: options.publishers,
      claimLeaseMs: options.claimLeaseMs,
    });
    for (const alert of delivered) options.onAlert?.(alert);
  };
}
