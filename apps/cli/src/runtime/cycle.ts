import { join } from 'node:path';
import {
  type CorruptObject,
  drainLocalQueue,
  EarlierSnapshotKeptError,
  extractSnapshot,
  publishSnapshot,
  quarantineCorruptObject,
  runGold,
  runSilver,
} from '@twitch-pipeline/pipeline';
import { LAKE_PREFIXES, type PipelineConfig, snapshotIdFor } from '@twitch-pipeline/schemas';
import { lakeObjectOf } from '../lake/lake-keys';
import { LakeObjectCheck } from '../lake/lake-object-check';
import {
  describeAllQuarantined,
  describeCorrupt,
  describeDeadLettered,
  describeExtract,
  describeGoldDates,
  describeGoldFailures,
  describeGoldRows,
  describeOutdated,
  describeSilver,
  describeSilverFailures,
  describeUnconsumed,
  notConsumed,
  plural,
} from './cycle-messages';
import { type LocalRuntime, shedExpiredSegments } from './local-runtime';
import { type CycleStep, RUN_RECORD_VERSION, type RunRecord } from './runs-log';
import type { StreamsSource } from './source';
import { markPublished, markUnpublished, publishLeftOver } from './unpublished-snapshots';

/** Asked between steps whether to stop; a step in progress always finishes or fails whole. */
export interface StopRequest {
  readonly stopping: boolean;
  /** Aborted when the stop is asked for: the crawl under way then finishes only if its calls succeed, without retrying a failing one. */
  readonly requested?: AbortSignal;
}

/**
 * Thrown when a stop was asked for between steps, or within a step of many objects (a backfill's
 * extract and silver) after some of them; the run record says `interrupted`.
 *
 * @example
 * try {
 *   await runCycle({ runtime, source, config, collectedAt, stop }, record);
 * } catch (error) {
 *   record.status = error instanceof CycleInterrupted ? 'interrupted' : 'failed';
 *   record.error = (error as Error).message; // 'stopped before silver'
 * }
 * new CycleInterrupted('extract', '', '26 of 48 snapshots').message; // 'stopped during extract after 26 of 48 snapshots'
 */
export class CycleInterrupted extends Error {
  /**
   * `detail` ends the message: what the steps before did that must not go unsaid, such as objects
   * set aside. `done` is what the step had done when it stopped, if anything: a record saying
   * "before" a step that had written most of its objects would misstate what the lake holds.
   */
  constructor(
    readonly before: CycleStep,
    detail = '',
    done?: string,
  ) {
    super(`${done ? `stopped during ${before} after ${done}` : `stopped before ${before}`}${detail}`);
    this.name = 'CycleInterrupted';
  }
}

/** Inputs of {@link runCycle}. */
export interface CycleInput {
  runtime: LocalRuntime;
  source: StreamsSource;
  config: PipelineConfig;
  /** The scheduled collection time; it names the snapshot. */
  collectedAt: Date;
  stop?: StopRequest;
  /** Aborts the step in progress at once (the extract's crawl and its waits); nothing partial is published. */
  signal?: AbortSignal;
  /** Told when each step starts and ends, for progress output. */
  onStep?: (step: CycleStep, phase: 'start' | 'end', detail: string) => void;
}

/**
 * Floors a time to its schedule slot, so that every run within one slot names the same snapshot.
 *
 * @example
 * scheduledTime(new Date('2026-11-29T21:47:12Z'), 30); // 2026-11-29T21:30:00.000Z
 */
export function scheduledTime(at: Date, intervalMinutes: number): Date {
  const period = intervalMinutes * 60_000;
  return new Date(Math.floor(at.getTime() / period) * period);
}

/**
 * An empty run record, filled in as the steps complete.
 *
 * @example
 * const record = newRunRecord('cycle', 'simulator', new Date());
 */
export function newRunRecord(kind: RunRecord['kind'], source: StreamsSource['kind'], startedAt: Date): RunRecord {
  return {
    kind,
    status: 'ok',
    source,
    snapshots: [],
    startedAt: startedAt.toISOString(),
    finishedAt: startedAt.toISOString(),
    durationMs: 0,
    steps: {},
    rows: { bronze: 0, quarantinedAtExtract: 0, silver: 0, quarantinedAtSilver: 0, gold: {} },
    published: 0,
    consumed: 0,
    deadLettered: 0,
    recordVersion: RUN_RECORD_VERSION,
  };
}

/**
 * One pipeline cycle with the local adapters: extract → bronze → publish → consume → silver →
 * gold, the same step functions the Lambdas run. Each step publishes its objects atomically;
 * a stop asked for mid-cycle takes effect between steps. Fills `record` as it goes, so that a
 * failed or interrupted cycle is recorded with what it did.
 *
 * @example
 * const record = newRunRecord('cycle', source.kind, new Date());
 * await runCycle({ runtime, source, config, collectedAt: scheduledTime(new Date(), 30) }, record);
 */
export async function runCycle(input: CycleInput, record: RunRecord): Promise<void> {
  const { runtime, config } = input;
  const step = async <T>(name: CycleStep, work: () => Promise<T>, describe: (result: T) => string): Promise<T> => {
    if (input.stop?.stopping) throw new CycleInterrupted(name);
    input.onStep?.(name, 'start', '');
    const startedAt = Date.now();
    const result = await work();
    record.steps[name] = Date.now() - startedAt;
    input.onStep?.(name, 'end', describe(result));
    return result;
  };

  const extract = await step(
    'extract',
    async () => {
      // Noted before bronze is written, so that a stop before the publish leaves the note.
      await markUnpublished(runtime, snapshotIdFor(input.collectedAt));
      return extractSnapshot({
        source: input.source.client,
        store: runtime.store,
        config,
        collectedAt: input.collectedAt,
        // The simulator's clock is set to the collection time, so an old time is simulated history (a backfill), not today's streams.
        backfill: input.source.kind === 'simulator',
        signal: input.signal,
        stopRetrying: input.stop?.requested,
      }).catch((error: unknown) => {
        // Kept apart rather than lost: the run's counts must still reconcile with quarantine_streams.
        if (error instanceof EarlierSnapshotKeptError) record.rows.quarantinedAtExtract += error.quarantined;
        throw error;
      });
    },
    describeExtract,
  );
  record.snapshots.push(extract.snapshotId);
  record.rows.bronze += extract.written;
  record.rows.quarantinedAtExtract += extract.quarantined;

  // As the state machine does: the real-time path is not the lake's, so a publish that fails lets
  // the snapshot go on through silver and gold, and the cycle fails after them, naming it.
  let publishFailure: string | undefined;
  const failed = (error: unknown) => {
    publishFailure ??= error instanceof Error ? error.message : String(error);
    return undefined;
  };
  const published = await step(
    'publish',
    async () => {
      const own = await publishSnapshot({ store: runtime.store, queue: runtime.queue, bronzeKey: extract.bronzeKey, snapshotId: extract.snapshotId, timeZone: config.timeZone })
        .then(async (summary) => {
          await markPublished(runtime, extract.snapshotId);
          return summary;
        })
        .catch(failed);
      // Snapshots an earlier run extracted and was stopped (or failed) before publishing.
      const leftOver = await publishLeftOver(runtime, { timeZone: config.timeZone, ttlHours: config.realtimeTtlHours, except: [extract.snapshotId] }).catch(failed);
      return { own, leftOver };
    },
    ({ own, leftOver }) =>
      (own ? `${plural(own.events, 'event')} in ${plural(own.messages, 'message')}` : `failed: ${publishFailure}; silver and gold go on`) +
      (own && !leftOver ? `; snapshots an earlier run left unpublished failed: ${publishFailure}` : '') +
      (leftOver?.snapshots ? `; ${plural(leftOver.events, 'event')} of ${plural(leftOver.snapshots, 'snapshot')} an earlier run left unpublished` : '') +
      (leftOver?.dropped ? `; ${plural(leftOver.dropped, 'snapshot')} left unpublished too long ago to be live, skipped` : ''),
  );
  record.published += (published.own?.events ?? 0) + (published.leftOver?.events ?? 0);

  const consumed = await step(
    'consume',
    async () => {
      const drained = await drainLocalQueue({
        queue: runtime.queue,
        table: runtime.table,
        ttlHours: config.realtimeTtlHours,
        onWritten: runtime.onWritten,
        maxReceives: runtime.queue.maxReceives,
      });
      // DynamoDB deletes expired items itself; the local table sheds its expired segments here, each cycle.
      return { ...drained, housekeeping: await shedExpiredSegments(runtime) };
    },
    (summary) =>
      `${plural(summary.written, 'item')} upserted, ${notConsumed(summary.unconsumed)}${describeDeadLettered(summary.deadLettered)}` +
      (summary.housekeeping ? `, ${summary.housekeeping}` : ''),
  );
  record.consumed += consumed.written;
  record.deadLettered += consumed.deadLettered;

  let setAside: CorruptObject[] = [];
  let goldSetAside: CorruptObject[] = [];
  const silver = await step(
    'silver',
    // Also picks up snapshots an interrupted run left without silver, or whose silver object was torn.
    async () => {
      setAside = await setAsideUnreadable(runtime, 'silver');
      return runSilver({ store: runtime.store, timeZone: config.timeZone, bronzeKeys: [extract.bronzeKey], includePending: true });
    },
    (summary) => describeSilver(summary, setAside),
  );
  record.rows.silver += silver.rowsOut;
  record.rows.quarantinedAtSilver += silver.quarantined;

  const gold = await step(
    'gold',
    // Also the dates an earlier run left pending: a gold that failed, a silver that landed in a failed run.
    // And the dates of unreadable partitions, set aside so that they count as missing.
    async () => {
      goldSetAside = await setAsideUnreadable(runtime, 'gold');
      return runGold({ store: runtime.store, dates: silver.dates, includePending: true, silver: { timeZone: config.timeZone } });
    },
    (summary) =>
      `${describeGoldDates(summary)}: ${describeGoldRows(summary.tables)}` +
      describeCorrupt([...goldSetAside, ...summary.corrupt]) +
      describeOutdated(summary.outdated),
  );
  for (const [table, rows] of Object.entries(gold.tables)) record.rows.gold[table] = (record.rows.gold[table] ?? 0) + rows;
  // Silver and gold do not read the real-time table, and the other snapshots' gold is published
  // first; the cycle still fails, so that no event left unconsumed goes unnoticed and the next
  // cycle retries the snapshots silver failed.
  const allQuarantined = describeAllQuarantined(extract);
  const failures = [
    ...(allQuarantined ? [allQuarantined] : []),
    ...(publishFailure ? [`publish: ${publishFailure}`] : []),
    ...(consumed.unconsumed.length > 0 ? [describeUnconsumed(consumed.unconsumed, record, runtime.queue.maxReceives)] : []),
    ...(silver.failed.length > 0 ? [describeSilverFailures(silver.failed)] : []),
    ...(gold.failed.length > 0 ? [describeGoldFailures(gold.failed)] : []),
  ];
  if (failures.length > 0) throw new Error(failures.join('; '));
}

/**
 * Sets aside every local object of a layer that is not readable Parquet (a torn write of any
 * date, not only of the dates this cycle rebuilds, or one a query found damaged): a silver
 * object before the silver step, which then finds its bronze object pending and rebuilds it; a
 * gold partition before the gold step, which then finds its date missing and rebuilds it.
 * Verdicts are cached by size and time (the lake views' cache), so a cycle checks only new or
 * changed objects.
 */
async function setAsideUnreadable(runtime: LocalRuntime, layer: 'silver' | 'gold'): Promise<CorruptObject[]> {
  const check = await LakeObjectCheck.open(runtime.store, join(runtime.dataDir, 'cache', 'lake-objects.json'));
  let bad: { key: string; reason: string }[];
  try {
    const objects = (await runtime.store.list(LAKE_PREFIXES[layer])).filter((object) => lakeObjectOf(object.key) !== undefined);
    bad = (await check.split(objects)).bad;
  } finally {
    await check.close();
  }
  const moved: CorruptObject[] = [];
  for (const { key, reason } of bad) moved.push(await quarantineCorruptObject(runtime.store, key, runtime.store.pathOf(key), reason));
  return moved;
}
