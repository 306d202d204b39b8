import type { AlertRecord, AlertRule, AlertRules, RealtimeEvent } from '@twitch-pipeline/schemas';
import { type AdjacentSample, evaluateAlerts, type Sample } from './evaluate-alerts';
import type { AlertLedger, AlertPublisher, CategoryAudienceStore } from './ports';

/** The part of the real-time table port alerting reads: a channel's items, newest first (oldest first with `after`). */
export interface ChannelSamples {
  queryByStreamer(nomeStreamer: string, options?: { limit?: number; before?: string; after?: string; asOf?: string }): Promise<Sample[]>;
}

/**
 * The previous and next sample lookups over the real-time table's key design (partition
 * `nome_streamer`, sort `timestamp`): each is one query of at most one item, backwards from the
 * given time or forwards from it.
 *
 * @example
 * const { previousSample, nextSample } = samplesFrom(table);
 */
function samplesFrom(table: ChannelSamples): { previousSample: AdjacentSample; nextSample: AdjacentSample } {
  return {
    // As of the sample's own time: a backfill evaluates samples older than the table's time to live.
    previousSample: async (login, timestamp) => (await table.queryByStreamer(login, { before: timestamp, limit: 1, asOf: timestamp }))[0],
    nextSample: async (login, timestamp) => (await table.queryByStreamer(login, { after: timestamp, limit: 1, asOf: timestamp }))[0],
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
  /** The evaluator's `onUnmarked`: an alert sent but not marked delivered. */
  onUnmarked?: (alert: AlertRecord, error: Error) => void;
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
      onUnmarked: options.onUnmarked,
    });
    for (const alert of delivered) options.onAlert?.(alert);
  };
}
