import { join } from 'node:path';
import {
  type CorruptObject,
  drainLocalQueue,
  extractSnapshot,
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
  constructor(readonly before: CycleStep) {
    super(`stopped before ${before}`);
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
 * Why a silver run failed for some snapshots, in one line: every failed bronze key, and each
 * distinct error once. Failures are told apart by their error with its quoted paths left out,
 * since each object's error names its own files: a full disk fails every remaining snapshot
 * alike, and 48 copies of one error would bury the cause.
 *
 * @example
 * describeSilverFailures(silver.failed);
 * // 'silver failed for 2 snapshots: raw/…/20261203T030000Z.parquet, raw/…/20261203T033000Z.parquet: ENOSPC: no space left on device, copyfile …'
 */
export function describeSilverFailures(failed: readonly { bronzeKey: string; error: string }[]): string {
  const byKind = new Map<string, { keys: string[]; error: string }>();
  for (const { bronzeKey, error } of failed) {
    const kind = error.replace(/'[^']*'/g, "''");
    const group = byKind.get(kind) ?? { keys: [], error };
    group.keys.push(bronzeKey);
    byKind.set(kind, group);
  }
  const groups = [...byKind.values()].map(({ keys, error }) => `${keys.join(', ')}: ${error}`);
  return `silver failed for ${plural(failed.length, 'snapshot')}: ${groups.join('; ')}`;
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
      const drained = await drainLocalQueue({ queue: runtime.queue, table: runtime.table, ttlHours: config.realtimeTtlHours, onWritten: runtime.onWritten });
      // DynamoDB deletes expired items itself; the local table sheds its expired segments here, each cycle.
      return { ...drained, housekeeping: await shedExpiredSegments(runtime) };
    },
    (summary) =>
      `${plural(summary.written, 'item')} upserted, ${summary.deadLettered} dead-lettered` + (summary.housekeeping ? `, ${summary.housekeeping}` : ''),
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
    (summary) =>
      `${plural(summary.rowsOut, 'row')}, ${summary.quarantined} quarantined` +
      [...setAside, ...summary.corrupt].map((object) => `; unreadable ${object.key} (${object.reason}) moved to ${object.movedTo}`).join(''),
  );
  record.rows.silver += silver.rowsOut;
  record.rows.quarantinedAtSilver += silver.quarantined;

  const gold = await step(
    'gold',
    () => runGold({ store: runtime.store, dates: silver.dates, silver: { timeZone: config.timeZone } }),
    (summary) =>
      `${plural(summary.dates.length, 'date')} rebuilt: ${Object.entries(summary.tables).map(([table, rows]) => `${table} ${rows}`).join(', ')}` +
      summary.corrupt.map((object) => `; unreadable ${object.key} (${object.reason}) ${object.action}`).join('') +
      describeOutdated(summary.outdated),
  );
  for (const [table, rows] of Object.entries(gold.tables)) record.rows.gold[table] = (record.rows.gold[table] ?? 0) + rows;
  // The other snapshots' gold is published first; the cycle still fails so the next one retries these.
  if (silver.failed.length > 0) throw new Error(describeSilverFailures(silver.failed));
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
