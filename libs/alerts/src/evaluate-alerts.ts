import type {
  AlertRecord,
  AlertRule,
  AlertRules,
  CategoryAudienceRule,
  ChannelLiveRule,
  RealtimeEvent,
  ViewerJumpRule,
} from '@twitch-pipeline/schemas';
import { canonicalTimestamp, categoryAlertKey, categoryKey, partialKeyOf, streamAlertKey } from './alert-keys';
import type { AlertClaimedElsewhereError } from './alert-claimed-elsewhere-error';
import { deliverAlert } from './alert-delivery';
import type { AlertLedger, AlertPublisher, CategoryAudienceStore } from './ports';

/** What the evaluator needs of a sample of the real-time table. */
export type Sample = Pick<RealtimeEvent, 'id_stream' | 'espectadores' | 'timestamp'>;

/** The sample of a channel the real-time table holds just before (or after) a given collection time. */
export type AdjacentSample = (nomeStreamer: string, timestamp: string) => Promise<Sample | undefined>;

export interface EvaluateAlertsOptions {
  /** Events of one queue message, already written to the real-time table. */
  events: readonly RealtimeEvent[];
  rules: AlertRules | readonly AlertRule[];
  /** Newest sample of the channel strictly before the timestamp (the table's newest-first query). */
  previousSample: AdjacentSample;
  /**
   * Oldest sample of the channel strictly after the timestamp. Optional: with it, a jump is also
   * found when the later sample of the pair was delivered first (reordered delivery).
   */
  nextSample?: AdjacentSample;
  /** Needed only when a `category_audience` rule exists. */
  categoryAudience?: CategoryAudienceStore;
  /** The once-only guard; every alert goes through it before any publisher sees it. */
  ledger: AlertLedger;
  publishers?: readonly AlertPublisher[];
  /**
   * How long a claim protects a delivery in progress (default 30 s): keep it shorter than the
   * queue's visibility timeout, so that a message redelivered after a crash finds the lease over.
   */
  claimLeaseMs?: number;
  /**
   * Told of an alert the publishers accepted but the ledger could not mark delivered. Given, the
   * message succeeds (failing it would publish the alert again on every redelivery, the claim's
   * lease being over by then); not given, the error fails the message as any other.
   */
  onUnmarked?: (alert: AlertRecord, error: Error) => void;
}

/** Default {@link EvaluateAlertsOptions.claimLeaseMs}: publishing one alert takes well under a second. */
export const DEFAULT_CLAIM_LEASE_MS = 30_000;

function rulesOf(rules: AlertRules | readonly AlertRule[]): readonly AlertRule[] {
  return 'rules' in rules ? rules.rules : rules;
}

type Lookup = (event: RealtimeEvent) => Promise<Sample | undefined>;

/**
 * Whether `after` ≥ `factor` × `before`, counting a product that lands on a whole count as that
 * count: in binary floating point 1.1 × 100 is 110.00000000000001, which 110 viewers would miss.
 */
function reachesFactor(after: number, before: number, factor: number): boolean {
  const needed = factor * before;
  return after >= needed - Math.abs(needed) * 1e-12;
}

/** A count in a message, written for people as every count the CLI prints (15,994); the record's fields stay numbers. */
function count(value: number): string {
  return value.toLocaleString('en-US');
}

function jumpOf(rule: ViewerJumpRule, event: RealtimeEvent, before: Sample, after: Sample): AlertRecord | undefined {
  if (before.id_stream !== event.id_stream || after.id_stream !== event.id_stream) return undefined;
  const increase = after.espectadores - before.espectadores;
  if (increase <= 0 || increase < rule.minIncrease || !reachesFactor(after.espectadores, before.espectadores, rule.factor)) return undefined;
  return {
    rule: rule.name,
    type: rule.type,
    key: streamAlertKey(rule.type, rule.name, event.id_stream),
    nome_streamer: event.nome_streamer,
    id_stream: event.id_stream,
    nome_categoria: event.nome_categoria,
    espectadores: after.espectadores,
    anterior: before.espectadores,
    timestamp: canonicalTimestamp(after.timestamp),
    message: `${event.nome_streamer} jumped from ${count(before.espectadores)} to ${count(after.espectadores)} viewers (+${count(increase)}) in ${event.nome_categoria}`,
  };
}

async function channelAlerts(
  rule: ChannelLiveRule | ViewerJumpRule,
  events: readonly RealtimeEvent[],
  previousOf: Lookup,
  nextOf: Lookup | undefined,
): Promise<AlertRecord[]> {
  const watched = rule.channels ? new Set(rule.channels) : undefined;
  const relevant = watched ? events.filter((event) => watched.has(event.nome_streamer.toLowerCase())) : events;
  // One table query per channel, all in flight together rather than one after another.
  const previousSamples = await Promise.all(relevant.map(previousOf));
  const fromPrevious = relevant.map((event, index) => {
    const previous = previousSamples[index];
    return rule.type === 'viewer_jump' && previous ? jumpOf(rule, event, previous, event) : undefined;
  });
  // The next samples too: a lookup at a time would refresh the table's index once per event.
  const nextSamples =
    rule.type === 'viewer_jump' && nextOf
      ? await Promise.all(relevant.map((event, index) => (fromPrevious[index] ? undefined : nextOf(event))))
      : [];
  const alerts: AlertRecord[] = [];
  for (const [index, event] of relevant.entries()) {
    const previous = previousSamples[index];
    if (rule.type === 'channel_live') {
      // A channel is newly live when its previous sample belongs to another stream, or it has none.
      if (previous?.id_stream === event.id_stream) continue;
      alerts.push({
        rule: rule.name,
        type: rule.type,
        key: streamAlertKey(rule.type, rule.name, event.id_stream),
        nome_streamer: event.nome_streamer,
        id_stream: event.id_stream,
        nome_categoria: event.nome_categoria,
        espectadores: event.espectadores,
        timestamp: canonicalTimestamp(event.timestamp),
        message: `${event.nome_streamer} is live with ${count(event.espectadores)} viewers in ${event.nome_categoria}: ${event.titulo}`,
      });
      continue;
    }
    const next = nextSamples[index];
    const jump = fromPrevious[index] ?? (next && jumpOf(rule, event, event, next));
    if (jump) alerts.push(jump);
  }
  return alerts;
}

async function categoryAlerts(
  rules: readonly CategoryAudienceRule[],
  events: readonly RealtimeEvent[],
  store: CategoryAudienceStore,
): Promise<AlertRecord[]> {
  const watched = new Set(rules.map((rule) => categoryKey(rule.category)));
  // Every message marks its snapshot, also when it holds no event of a watched category: a later
  // snapshot then reads a missing part as no audience, not as a time the rules never saw.
  const evaluated = new Set(events.map((event) => canonicalTimestamp(event.timestamp)));
  for (const timestamp of evaluated) await store.recordEvaluated(timestamp, [...watched]);
  const parts = new Map<string, { category: string; timestamp: string; channels: string[]; espectadores: number }>();
  for (const event of events) {
    const category = categoryKey(event.nome_categoria);
    if (!watched.has(category)) continue;
    const timestamp = canonicalTimestamp(event.timestamp);
    const id = `${category}|${timestamp}`;
    const part = parts.get(id) ?? { category, timestamp, channels: [], espectadores: 0 };
    part.channels.push(event.nome_streamer);
    part.espectadores += event.espectadores;
    parts.set(id, part);
  }
  const alerts: AlertRecord[] = [];
  for (const part of parts.values()) {
    await store.recordPartial({
      category: part.category,
      timestamp: part.timestamp,
      partialKey: partialKeyOf(part.channels),
      espectadores: part.espectadores,
    });
    const total = await store.totalAt(part.category, part.timestamp);
    const previous = await store.previousTotal(part.category, part.timestamp);
    // No snapshot evaluated before this one watched the category: this one is the baseline, so
    // turning a rule on never reports an audience that was above the threshold all along.
    if (!previous) continue;
    const before = previous.total;
    for (const rule of rules) {
      if (categoryKey(rule.category) !== part.category) continue;
      if (before >= rule.threshold || total < rule.threshold) continue;
      alerts.push({
        rule: rule.name,
        type: rule.type,
        key: categoryAlertKey(rule.name, rule.category, part.timestamp),
        nome_categoria: rule.category,
        espectadores: total,
        anterior: before,
        timestamp: part.timestamp,
        message: `${rule.category} reached ${count(total)} live viewers (threshold ${count(rule.threshold)}, previous snapshot ${count(before)})`,
      });
    }
  }
  return alerts;
}

/**
 * Evaluates the alert rules on the events of one queue message, after they were written to the
 * real-time table, and delivers each new alert at least once and, under duplicated and reordered
 * deliveries of the same events, once: the ledger's claim (a conditional write) guards each key,
 * the publishers run while it is held, and only then is the key marked delivered, so a crash in
 * between is repaired by the redelivered message. Returns the alerts this call delivered
 * (already delivered keys are left out).
 *
 * - `channel_live`: a watched channel's sample whose previous sample (strictly earlier) has
 *   another `id_stream`, or that has none; one alert per rule and stream.
 * - `viewer_jump`: viewers ≥ `factor` × and ≥ `minIncrease` above the previous sample of the
 *   same stream (checked against the next sample too when `nextSample` is given, so a pair is
 *   found whichever half arrives last); one alert per rule and stream.
 * - `category_audience`: the category's total at this collection time reached the threshold
 *   while its total at the previous evaluated snapshot was below it (0 when it had no live
 *   channel there). The first snapshot evaluated with the category watched is its baseline and
 *   never fires: every message marks its snapshot evaluated for the watched categories. Totals
 *   are sums of per-message parts keyed by a digest of their channels, so a redelivered message
 *   replaces its own part instead of adding it again; call this once per message. The previous
 *   snapshot is assumed fully consumed when the next one arrives (snapshots are minutes apart).
 *
 * If a publisher fails, the key is released and the error rethrown, so the message is retried; a
 * key another consumer is delivering right now raises {@link AlertClaimedElsewhereError}, so the
 * message is retried after that delivery ends or its lease runs out.
 *
 * @example
 * const fired = await evaluateAlerts({
 *   events: envelope.events,
 *   rules,
 *   previousSample: (login, before) => table.previous(login, before),
 *   categoryAudience: new LocalCategoryAudience(join(dataDir, 'alerts', 'audience')),
 *   ledger: new LocalAlertLog(join(dataDir, 'alerts')),
 * });
 */
export async function evaluateAlerts(options: EvaluateAlertsOptions): Promise<AlertRecord[]> {
  const rules = rulesOf(options.rules);
  const cached = (lookup: AdjacentSample): Lookup => {
    const results = new Map<string, Promise<Sample | undefined>>();
    return (event) => {
      const id = `${event.nome_streamer}|${event.timestamp}`;
      let pending = results.get(id);
      if (!pending) {
        pending = lookup(event.nome_streamer, event.timestamp);
        results.set(id, pending);
      }
      return pending;
    };
  };
  const previousOf = cached(options.previousSample);
  const nextOf = options.nextSample && cached(options.nextSample);
  const candidates: AlertRecord[] = [];
  for (const rule of rules) {
    if (rule.type === 'channel_live' || rule.type === 'viewer_jump') {
      candidates.push(...(await channelAlerts(rule, options.events, previousOf, nextOf)));
    }
  }
  const categoryRules = rules.filter((rule): rule is CategoryAudienceRule => rule.type === 'category_audience');
  if (categoryRules.length > 0 && !options.categoryAudience) throw new Error('category_audience rules need a categoryAudience store');
  // With a store, every snapshot is marked seen, also while no category rule is set: a rule
  // turned on later then takes its first snapshot as the baseline, instead of comparing with
  // the last snapshot it saw before it was turned off, hours earlier.
  if (options.categoryAudience) candidates.push(...(await categoryAlerts(categoryRules, options.events, options.categoryAudience)));
  const delivered: AlertRecord[] = [];
  const seen = new Set<string>();
  const delivery = {
    ledger: options.ledger,
    publishers: options.publishers ?? [],
    leaseMs: options.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS,
    onUnmarked: options.onUnmarked,
  };
  for (const alert of candidates) {
    if (seen.has(alert.key)) continue;
    seen.add(alert.key);
    if (await deliverAlert(alert, delivery)) delivered.push(alert);
  }
  return delivered;
}
