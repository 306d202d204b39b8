import { join } from 'node:path';
import {
  type CorruptObject,
  type DrainSummary,
  drainLocalQueue,
  extractSnapshot,
  type GoldSummary,
  type OutdatedSilverObject,
  publishSnapshot,
  quarantineCorruptObject,
  runGold,
  runSilver,
} from '@twitch-pipeline/pipeline';
import { LAKE_PREFIXES, type PipelineConfig } from '@twitch-pipeline/schemas';
import { LakeObjectCheck } from '../lake/lake-object-check';
import { type LocalRuntime, shedExpiredSegments } from './local-runtime';
import { type CycleStep, RUN_RECORD_VERSION, type RunRecord } from './runs-log';
import type { StreamsSource } from './source';

/** Asked between steps whether to stop; a step in progress always finishes or fails whole. */
export interface StopRequest {
  readonly stopping: boolean;
}

/** Thrown when a stop was asked for between steps; the run record says `interrupted`. */
export class CycleInterrupted extends Error {
  /** `detail` ends the message: what the steps before did that must not go unsaid, such as objects set aside. */
  constructor(
    readonly before: CycleStep,
    detail = '',
  ) {
    super(`stopped before ${before}${detail}`);
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

function plural(count: number, word: string): string {
  const many = word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`;
  return `${count.toLocaleString('en-US')} ${count === 1 ? word : many}`;
}

/** Names the requested languages with no live stream: a mistyped code collects nothing, silently otherwise. */
function noneLiveIn(languages: readonly string[]): string {
  return languages.length > 0 ? `; none live in ${languages.join(', ')}` : '';
}

/**
 * What gold did with silver objects another version of the silver model wrote (a data directory
 * kept across an upgrade): how many it rebuilt from bronze, and each one it left out and why.
 *
 * @example
 * describeOutdated(gold.outdated); // '; 48 silver objects of another model version rebuilt from bronze'
 */
export function describeOutdated(outdated: readonly OutdatedSilverObject[]): string {
  const rebuilt = outdated.filter((object) => object.action === 'rebuilt').length;
  return (
    (rebuilt > 0 ? `; ${plural(rebuilt, 'silver object')} of another model version rebuilt from bronze` : '') +
    outdated
      .filter((object) => object.action === 'left out')
      .map((object) => `; ${object.key} of another model version left out (${object.reason})`)
      .join('')
  );
}

/**
 * The unreadable objects a step set aside, each with its reason and where its bytes went (or
 * that it was skipped), to end the step's line.
 *
 * @example
 * describeCorrupt(silver.corrupt);
 * // '; unreadable raw/…/20261128T120000Z.parquet (truncated or torn …) moved to quarantine/corrupt/raw/…/20261128T120000Z.parquet'
 */
export function describeCorrupt(objects: readonly CorruptObject[]): string {
  return objects.map((object) => `; unreadable ${object.key} (${object.reason}) ${object.movedTo ? `moved to ${object.movedTo}` : object.action}`).join('');
}

/**
 * Failures grouped by their error with its quoted paths left out, since each object's error
 * names its own files: a full disk fails every remaining object alike, and 48 copies of one
 * error would bury the cause. Each group keeps its first error as it was.
 */
function byCause<T extends { error: string }>(failed: readonly T[]): { error: string; members: T[] }[] {
  const groups = new Map<string, { error: string; members: T[] }>();
  for (const failure of failed) {
    const kind = failure.error.replace(/'[^']*'/g, "''");
    const group = groups.get(kind) ?? { error: failure.error, members: [] };
    group.members.push(failure);
    groups.set(kind, group);
  }
  return [...groups.values()];
}

/**
 * Why a silver run failed for some snapshots, in one line: every failed bronze key, and each
 * distinct error once.
 *
 * @example
 * describeSilverFailures(silver.failed);
 * // 'silver failed for 2 snapshots: raw/…/20261203T030000Z.parquet, raw/…/20261203T033000Z.parquet: ENOSPC: no space left on device, copyfile …'
 */
export function describeSilverFailures(failed: readonly { bronzeKey: string; error: string }[]): string {
  const groups = byCause(failed).map(({ error, members }) => `${members.map((failure) => failure.bronzeKey).join(', ')}: ${error}`);
  return `silver failed for ${plural(failed.length, 'snapshot')}: ${groups.join('; ')}`;
}

/**
 * Why gold failed for some dates, in one line: each failed date, each distinct error once, and
 * that the dates stay pending for the next run.
 *
 * @example
 * describeGoldFailures(gold.failed);
 * // 'gold failed for 1 date: 2026-12-02: ENOSPC: no space left on device, write; it stays pending and the next run retries it'
 */
export function describeGoldFailures(failed: readonly { date: string; error: string }[]): string {
  const groups = byCause(failed).map(({ error, members }) => `${members.map((failure) => failure.date).join(', ')}: ${error}`);
  return `gold failed for ${plural(failed.length, 'date')}: ${groups.join('; ')}; ${failed.length === 1 ? 'it stays' : 'they stay'} pending and the next run retries ${failed.length === 1 ? 'it' : 'them'}`;
}

/**
 * Why the consume step left messages on the queue (or moved them to the DLQ), in one line: how
 * many messages and events, the events published and consumed by the run to reconcile them
 * with, each distinct error once, and what becomes of the messages.
 *
 * @example
 * describeUnconsumed(drained.unconsumed, { published: 30, consumed: 0 }, 3);
 * // 'consume: 2 messages (30 events) not consumed; published 30, consumed 0; ENOSPC: no space left on device, write (2 messages); …'
 */
export function describeUnconsumed(unconsumed: DrainSummary['unconsumed'], run: { published: number; consumed: number }, maxReceives: number): string {
  const events = unconsumed.reduce((sum, failure) => sum + failure.events, 0);
  const causes = byCause(unconsumed).map(({ error, members }) => `${error} (${plural(members.length, 'message')})`);
  const moved = unconsumed.filter((failure) => failure.deadLettered).length;
  const kept = unconsumed.length - moved;
  const fates = [
    ...(kept > 0 ? [`${plural(kept, 'message')} kept on the queue: the next run receives them again, and they go to the DLQ after ${maxReceives} receives`] : []),
    ...(moved > 0 ? [`${plural(moved, 'message')} moved to the DLQ after ${maxReceives} receives (see \`dlq\`)`] : []),
  ];
  return (
    `consume: ${plural(unconsumed.length, 'message')} (${plural(events, 'event')}) not consumed; published ${run.published}, consumed ${run.consumed}; ` +
    `${causes.join('; ')}; ${fates.join('; ')}`
  );
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
    () =>
      extractSnapshot({
        source: input.source.client,
        store: runtime.store,
        config,
        collectedAt: input.collectedAt,
        // The simulator's clock is set to the collection time, so an old time is simulated history (a backfill), not today's streams.
        backfill: input.source.kind === 'simulator',
        signal: input.signal,
      }),
    (summary) =>
      `${plural(summary.written, 'stream')} to bronze, ${summary.quarantined} quarantined, ${plural(summary.pages, 'page')}, ` +
      `${plural(summary.retries, 'retry')}, ${summary.rateLimited} rate-limited${noneLiveIn(summary.languagesWithoutStreams)}`,
  );
  record.snapshots.push(extract.snapshotId);
  record.rows.bronze += extract.written;
  record.rows.quarantinedAtExtract += extract.quarantined;

  const published = await step(
    'publish',
    () => publishSnapshot({ store: runtime.store, queue: runtime.queue, bronzeKey: extract.bronzeKey, snapshotId: extract.snapshotId, timeZone: config.timeZone }),
    (summary) => `${plural(summary.events, 'event')} in ${plural(summary.messages, 'message')}`,
  );
  record.published += published.events;

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
      `${plural(summary.written, 'item')} upserted, ${notConsumed(summary.unconsumed)}${summary.deadLettered} dead-lettered` +
      (summary.housekeeping ? `, ${summary.housekeeping}` : ''),
  );
  record.consumed += consumed.written;
  record.deadLettered += consumed.deadLettered;

  let setAside: CorruptObject[] = [];
  const silver = await step(
    'silver',
    // Also picks up snapshots an interrupted run left without silver, or whose silver object was torn.
    async () => {
      setAside = await setAsideTornSilver(runtime);
      return runSilver({ store: runtime.store, timeZone: config.timeZone, bronzeKeys: [extract.bronzeKey], includePending: true });
    },
    (summary) => `${plural(summary.rowsOut, 'row')}, ${summary.quarantined} quarantined${describeCorrupt([...setAside, ...summary.corrupt])}`,
  );
  record.rows.silver += silver.rowsOut;
  record.rows.quarantinedAtSilver += silver.quarantined;

  const gold = await step(
    'gold',
    // Also the dates an earlier run left pending: a gold that failed, a silver that landed in a failed run.
    () => runGold({ store: runtime.store, dates: silver.dates, includePending: true, silver: { timeZone: config.timeZone } }),
    (summary) =>
      `${describeGoldDates(summary)}: ${Object.entries(summary.tables).map(([table, rows]) => `${table} ${rows}`).join(', ')}` +
      describeCorrupt(summary.corrupt) +
      describeOutdated(summary.outdated),
  );
  for (const [table, rows] of Object.entries(gold.tables)) record.rows.gold[table] = (record.rows.gold[table] ?? 0) + rows;
  // Silver and gold do not read the real-time table, and the other snapshots' gold is published
  // first; the cycle still fails, so that no event left unconsumed goes unnoticed and the next
  // cycle retries the snapshots silver failed.
  const failures = [
    ...(consumed.unconsumed.length > 0 ? [describeUnconsumed(consumed.unconsumed, record, runtime.queue.maxReceives)] : []),
    ...(silver.failed.length > 0 ? [describeSilverFailures(silver.failed)] : []),
    ...(gold.failed.length > 0 ? [describeGoldFailures(gold.failed)] : []),
  ];
  if (failures.length > 0) throw new Error(failures.join('; '));
}

/**
 * The dates a gold run rebuilt, with those an earlier run had left pending, those that failed, and
 * the later dates whose trends it refreshed.
 *
 * @example
 * describeGoldDates(gold); // '2 dates rebuilt (1 left pending by an earlier run)'
 */
export function describeGoldDates(gold: Pick<GoldSummary, 'dates' | 'pendingDates' | 'failed' | 'trendsRefreshed'>): string {
  const failedDates = new Set(gold.failed.map((failure) => failure.date));
  const rebuilt = gold.dates.filter((date) => !failedDates.has(date)).length;
  const notes = [
    ...(gold.pendingDates.length > 0 ? [`${gold.pendingDates.length} left pending by an earlier run`] : []),
    ...(failedDates.size > 0 ? [`${failedDates.size} failed`] : []),
    ...(gold.trendsRefreshed.length > 0 ? [`trends of ${plural(gold.trendsRefreshed.length, 'later date')} refreshed`] : []),
  ];
  return `${plural(rebuilt, 'date')} rebuilt${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
}

/** The consume step's count of messages left unconsumed, with each distinct error, when there are any. */
function notConsumed(unconsumed: DrainSummary['unconsumed']): string {
  if (unconsumed.length === 0) return '';
  return `${plural(unconsumed.length, 'message')} not consumed (${byCause(unconsumed).map((cause) => cause.error).join('; ')}), `;
}

/**
 * Sets aside every local silver object that is not readable Parquet (a torn write of any date,
 * not only of the dates this cycle rebuilds), so the silver step that follows finds its bronze
 * object pending and rebuilds it. Verdicts are cached by size and time (the lake views' cache),
 * so a cycle checks only new or changed objects.
 */
async function setAsideTornSilver(runtime: LocalRuntime): Promise<CorruptObject[]> {
  const check = await LakeObjectCheck.open(runtime.store, join(runtime.dataDir, 'cache', 'lake-objects.json'));
  let bad: { key: string; reason: string }[];
  try {
    bad = (await check.split((await runtime.store.list(LAKE_PREFIXES.silver)).filter((object) => object.key.endsWith('.parquet')))).bad;
  } finally {
    await check.close();
  }
  const moved: CorruptObject[] = [];
  for (const { key, reason } of bad) moved.push(await quarantineCorruptObject(runtime.store, key, runtime.store.pathOf(key), reason));
  return moved;
}
