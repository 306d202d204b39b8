import { DuckDbEngine } from '@twitch-pipeline/duckdb';
import type { HelixSimulator } from '@twitch-pipeline/helix-simulator';
import {
  type DrainSummary,
  drainLocalQueue,
  type ExtractSummary,
  extractSnapshot,
  pendingBronzeKeys,
  publishSnapshot,
  runGold,
  runSilver,
} from '@twitch-pipeline/pipeline';
import { type PipelineConfig, snapshotIdFor } from '@twitch-pipeline/schemas';
import { HelixClient } from '@twitch-pipeline/twitch';
import type { Io } from '../cli/io';
import { Progress } from '../cli/progress';
import { CycleInterrupted, newRunRecord, type StopRequest, scheduledTime } from './cycle';
import {
  describeCorrupt,
  describeGoldDates,
  describeGoldFailures,
  describeGoldRows,
  describeOutdated,
  describeSilverFailures,
  describeUnconsumed,
  plural,
} from './cycle-messages';
import { ExtractWorker, type Extractor, extractInOrder } from './extract-pool';
import { type LocalRuntime, shedExpiredSegments } from './local-runtime';
import type { RunRecord } from './runs-log';
import type { SimulatorSettings } from './source';
import { markPublished, markUnpublished, publishLeftOver } from './unpublished-snapshots';

/** Which snapshots also go through the real-time path (queue → consumer → table). */
export type RealtimeScope = 'all' | 'latest' | 'none';

/** Inputs of {@link runBackfill}. */
export interface BackfillInput {
  runtime: LocalRuntime;
  simulator: HelixSimulator;
  config: PipelineConfig;
  /** The last slot; the first is `hours` earlier (plus one interval). */
  end: Date;
  hours: number;
  realtime: RealtimeScope;
  io: Io;
  stop?: StopRequest;
  /**
   * Extract on this many worker threads too, each with its own simulator started with
   * `settings` (those of `simulator`, which must have no faults set). Absent: one at a time.
   */
  workers?: { count: number; settings: SimulatorSettings };
  /** Called once every snapshot is extracted, before silver and gold. */
  onExtracted?: () => void;
}

/**
 * The slots of a backfill: one every interval, ending at `end` (floored to the interval), `hours` long.
 *
 * @example
 * backfillSlots(new Date('2026-11-29T12:00:00Z'), 1, 30); // [11:30, 12:00]
 */
export function backfillSlots(end: Date, hours: number, intervalMinutes: number): Date[] {
  const last = scheduledTime(end, intervalMinutes).getTime();
  const count = Math.max(1, Math.floor((hours * 60) / intervalMinutes));
  return Array.from({ length: count }, (_, index) => new Date(last - (count - 1 - index) * intervalMinutes * 60_000));
}

/**
 * Simulated history: drives the simulator's virtual clock through every slot, extracting one
 * bronze snapshot per slot (and publishing/consuming it per `realtime`), then runs silver over
 * every new snapshot and gold over the dates they touch, once. Stops between snapshots when asked.
 *
 * @example
 * const record = await runBackfill({ runtime, simulator, config, end: new Date(), hours: 24, realtime: 'all', io });
 */
export async function runBackfill(input: BackfillInput): Promise<RunRecord> {
  const { runtime, simulator, config, io } = input;
  const startedAt = new Date();
  const record = newRunRecord('backfill', 'simulator', startedAt);
  const client = new HelixClient({
    apiUrl: simulator.apiUrl,
    authUrl: simulator.authUrl,
    clientId: simulator.credentials.clientId,
    clientSecret: simulator.credentials.clientSecret,
    // Simulated history: the simulator runs in this thread, so requests skip the loopback socket.
    fetch: simulator.fetch,
  });
  const slots = backfillSlots(input.end, input.hours, config.intervalMinutes);
  const timed = async <T>(step: keyof RunRecord['steps'], work: () => Promise<T>): Promise<T> => {
    const began = Date.now();
    try {
      return await work();
    } finally {
      record.steps[step] = (record.steps[step] ?? 0) + Date.now() - began;
    }
  };
  const written: string[] = [];
  const workers = Array.from({ length: input.workers?.count ?? 0 }, () => new ExtractWorker({ settings: { ...input.workers!.settings, startTime: slots[0]! }, config, lakeDir: runtime.store.root }));
  let engine: DuckDbEngine | undefined;
  const extractHere: Extractor = async (collectedAt) => {
    engine ??= await DuckDbEngine.open();
    simulator.clock.set(collectedAt);
    return extractSnapshot({ source: client, store: runtime.store, config, collectedAt, backfill: true, engine });
  };
  const throughRealtime = new Set(slots.filter((_, index) => input.realtime === 'all' || (input.realtime === 'latest' && index === slots.length - 1)).map(snapshotIdFor));
  // Noted before the extract starts, not once it is yielded: slots are yielded in order, so a slot
  // a lane finished early waits for the earlier ones, and a kill meanwhile would leave its bronze
  // object with no note, which no later cycle would publish.
  const notedFirst =
    (extract: Extractor): Extractor =>
    async (collectedAt) => {
      const snapshotId = snapshotIdFor(collectedAt);
      if (throughRealtime.has(snapshotId)) await markUnpublished(runtime, snapshotId);
      return extract(collectedAt);
    };
  // The real-time path of a snapshot reads only its bronze object, so it runs beside the next
  // extracts and the silver step; one snapshot after another, so the queue keeps slot order.
  let realtime: Promise<void> = Promise.resolve();
  let realtimeFailed = false;
  // Messages a drain could not consume, by id: a later drain of this backfill may still consume them.
  const unconsumed = new Map<string, DrainSummary['unconsumed'][number]>();
  const publishedSnapshots = new Set<string>();
  const sendThroughRealtime = async (extract: ExtractSummary): Promise<void> => {
    const published = await timed('publish', () =>
      publishSnapshot({ store: runtime.store, queue: runtime.queue, bronzeKey: extract.bronzeKey, snapshotId: extract.snapshotId, timeZone: config.timeZone }),
    );
    record.published += published.events;
    await markPublished(runtime, extract.snapshotId);
    publishedSnapshots.add(extract.snapshotId);
    await consume();
  };
  // As the next cycle of `run` would: the snapshots an earlier run extracted and was stopped before
  // publishing, which this backfill's slots do not cover again.
  const sendLeftOver = async (): Promise<void> => {
    const leftOver = await timed('publish', () =>
      publishLeftOver(runtime, { timeZone: config.timeZone, ttlHours: config.realtimeTtlHours, except: [...throughRealtime] }),
    );
    record.published += leftOver.events;
    if (leftOver.snapshots > 0) io.err(`real time: ${plural(leftOver.events, 'event')} of ${plural(leftOver.snapshots, 'snapshot')} an earlier run left unpublished\n`);
    if (leftOver.dropped > 0) io.err(`real time: ${plural(leftOver.dropped, 'snapshot')} left unpublished too long ago to be live, skipped\n`);
    if (leftOver.snapshots > 0) await consume();
  };
  const consume = async (): Promise<void> => {
    const consumed = await timed('consume', () =>
      drainLocalQueue({ queue: runtime.queue, table: runtime.table, ttlHours: config.realtimeTtlHours, onWritten: runtime.onWritten, maxReceives: runtime.queue.maxReceives }),
    );
    record.consumed += consumed.written;
    record.deadLettered += consumed.deadLettered;
    for (const messageId of consumed.recovered) unconsumed.delete(messageId);
    for (const failure of consumed.unconsumed) unconsumed.set(failure.messageId, failure);
  };
  try {
    const progress = new Progress(io, 'snapshots', slots.length);
    const extractStarted = Date.now();
    try {
      const lanes = [extractHere, ...workers.map((worker) => (at: Date) => worker.extract(at))].map(notedFirst);
      for await (const extract of extractInOrder(slots, lanes, input.stop)) {
        if (realtimeFailed) await realtime;
        record.snapshots.push(extract.snapshotId);
        written.push(extract.bronzeKey);
        record.rows.bronze += extract.written;
        record.rows.quarantinedAtExtract += extract.quarantined;
        if (throughRealtime.has(extract.snapshotId)) {
          // Its publish may wait behind earlier snapshots': a stop meanwhile leaves it (noted) to the next cycle.
          realtime = realtime.then(() => sendThroughRealtime(extract));
          realtime.catch(() => {
            realtimeFailed = true;
          });
        }
        progress.tick(1, `${extract.snapshotId} ${extract.written.toLocaleString('en-US')} streams`);
      }
    } finally {
      record.steps.extract = Date.now() - extractStarted;
      await Promise.all([...workers.map((worker) => worker.close()), engine?.close()]);
    }
    progress.done(`${plural(slots.length, 'snapshot')}, ${record.rows.bronze.toLocaleString('en-US')} bronze rows`);
    input.onExtracted?.();
    if (throughRealtime.size > 0) {
      realtime = realtime.then(sendLeftOver);
      realtime.catch(() => {
        realtimeFailed = true;
      });
    }

    // This run's snapshots are rebuilt even when an older silver object exists (their bronze was
    // just rewritten), along with any snapshot an interrupted run left without silver.
    const pending = [...new Set([...(await pendingBronzeKeys(runtime.store)), ...written])].sort();
    // One call for every object: its engines stay open from the first object to the last.
    const silverProgress = new Progress(io, 'silver', pending.length);
    const silver = await timed('silver', () =>
      runSilver({ store: runtime.store, timeZone: config.timeZone, bronzeKeys: pending, stop: input.stop, onObjectDone: () => silverProgress.tick(1) }),
    );
    record.rows.silver += silver.rowsOut;
    record.rows.quarantinedAtSilver += silver.quarantined;
    // Objects set aside are named however silver ends: once moved, no later run meets them again.
    const setAside = describeCorrupt(silver.corrupt);
    if (silver.failed.length > 0) throw new Error(describeSilverFailures(silver.failed) + setAside);
    if (silver.skipped.length > 0) {
      const done = pending.length - silver.skipped.length;
      throw new CycleInterrupted('silver', setAside, done > 0 ? `${done} of ${pending.length} snapshots` : undefined);
    }
    silverProgress.done(`${plural(pending.length, 'snapshot')}, ${record.rows.silver.toLocaleString('en-US')} rows${setAside}`);

    if (input.stop?.stopping) throw new CycleInterrupted('gold');
    const gold = await timed('gold', () => runGold({ store: runtime.store, dates: silver.dates, includePending: true, silver: { timeZone: config.timeZone } }));
    record.rows.gold = gold.tables;
    await realtime;
    // As each cycle of `run` does: a data directory filled only by backfills must not keep expired items forever either.
    const housekeeping = await shedExpiredSegments(runtime);
    if (housekeeping) io.err(`real time: ${housekeeping}\n`);
    io.err(
      `gold: ${describeGoldDates(gold)}: ${describeGoldRows(gold.tables)}` +
        `${describeCorrupt(gold.corrupt)}${describeOutdated(gold.outdated)}\n`,
    );
    if (gold.failed.length > 0) throw new Error(describeGoldFailures(gold.failed));
  } catch (error) {
    // Nothing of this run may still be writing once its record is returned; a real-time path that
    // failed on its own (after the last extract, while silver or gold failed) is named beside.
    const realtimeError = await realtime.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    record.status = error instanceof CycleInterrupted ? 'interrupted' : 'failed';
    const left = record.snapshots.filter((snapshotId) => throughRealtime.has(snapshotId) && !publishedSnapshots.has(snapshotId)).length;
    const realtimeNote =
      realtimeError !== undefined && realtimeError !== error
        ? `real time: ${realtimeError instanceof Error ? realtimeError.message : String(realtimeError)}; ${left} snapshot(s) left for the next run to publish`
        : undefined;
    record.error = [(error as Error).message, realtimeNote].filter(Boolean).join('; ');
  }
  // Silver and gold do not read the real-time table, so they ran; the backfill still fails, so
  // that no event left unconsumed goes unnoticed.
  if (unconsumed.size > 0) {
    if (record.status === 'ok') record.status = 'failed';
    record.error = [record.error, describeUnconsumed([...unconsumed.values()], record, runtime.queue.maxReceives)].filter(Boolean).join('; ');
  }
  record.finishedAt = new Date().toISOString();
  record.durationMs = Date.now() - startedAt.getTime();
  return record;
}
