import { type CorruptObject, type GoldSummary, listGoldPending, pendingBronzeKeys, runGold, runSilver, type SilverSummary } from '@twitch-pipeline/pipeline';
import { LAKE_PREFIXES, type PipelineConfig, parseSnapshotKey } from '@twitch-pipeline/schemas';
import type { ObjectStore } from '@twitch-pipeline/storage';
import { type Command, type CommandInput, PROGRAM } from '../cli/command';
import { dateRangeOf } from '../cli/date-range';
import { EXIT } from '../cli/errors';
import { failureHint } from '../cli/report-error';
import { formatDuration } from '../cli/duration';
import { toJson } from '../cli/io';
import { Progress } from '../cli/progress';
import { StopSignal } from '../cli/signals';
import { count, describeGoldFailures, describeOutdated, describeSilverFailures, plural } from '../runtime/cycle-messages';
import { assertDataDirectory } from '../lake/data-directory';
import { LOCK_OPTIONS, lockDataDirectory } from '../runtime/data-lock';
import { openLocalRuntime } from '../runtime/local-runtime';

/** What a rebuild did, printed as text or, with `--json`, as this document. */
export interface RebuildSummary {
  status: 'ok' | 'failed' | 'interrupted';
  /** The range asked for (inclusive); null where it was left open. */
  from: string | null;
  to: string | null;
  /** Bronze objects of the range, and bronze objects outside it that had no silver object yet. */
  bronzeObjects: number;
  pendingObjects: number;
  /** Dates whose gold was rebuilt: the range's dates with silver, and the neighbours their estimate reaches. */
  dates: string[];
  rows: { in: number; out: number; quarantined: number };
  /** Rows written per gold table, over all dates. */
  gold: Record<string, number>;
  /**
   * Objects set aside under quarantine/corrupt/ (bronze by silver, silver by gold), or skipped:
   * unreadable ones, and bronze copies superseded by a later collection of their slot, which
   * read fine and carry `supersededBy`.
   */
  corrupt: CorruptObject[];
  /** Bronze objects that could not be transformed; their old silver object, if any, is still in place. */
  failed: SilverSummary['failed'];
  /** Dates whose gold failed, with the error; the other dates were published, and these stay pending. */
  goldFailed: GoldSummary['failed'];
  /**
   * Silver objects of another model version that gold met: rebuilt from bronze, or left out of
   * gold (no bronze object to rebuild them from), so their rows are in no gold table.
   */
  outdated: GoldSummary['outdated'];
  durationMs: number;
  error?: string;
}

/** `rebuild`: silver and gold rebuilt from bronze after a model change. */
export const rebuildCommand: Command = {
  name: 'rebuild',
  usage: ['rebuild [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--wait]'],
  details:
    'Re-runs silver on every bronze object whose date (dt, in the zone it was collected in) is in the range\n' +
    '(default: every date in the lake), plus any bronze object that has no silver object yet, then gold on\n' +
    'the dates silver changed, including the day before and after the range when the estimate joins\n' +
    'snapshots across midnight. After a change of the silver or gold models, rebuild every date: a range\n' +
    'rebuilds its neighbouring days too (their silver of another version from bronze), but leaves the\n' +
    'dates beyond them as another version wrote them. Every object is rewritten whole, so running it\n' +
    'again gives the same rows. Ctrl-C stops between groups of objects (a second Ctrl-C quits at once);\n' +
    'run it again to finish. Takes the data directory lock like `run` and `backfill`.',
  options: {
    from: { type: 'string', value: 'DATE', description: 'first date to rebuild, YYYY-MM-DD (default: the oldest in the lake)' },
    to: { type: 'string', value: 'DATE', description: 'last date to rebuild, YYYY-MM-DD (default: the newest in the lake)' },
    ...LOCK_OPTIONS,
  },
  examples: [`${PROGRAM} rebuild`, `${PROGRAM} rebuild --from 2026-11-01 --to 2026-11-30 --json`],
  async run(input) {
    const { from, to } = dateRangeOf(input.values, 'rebuild');
    const config = input.config();
    // It rebuilds what was collected: a mistyped PIPELINE_DATA_DIR is refused rather than made.
    assertDataDirectory(config.dataDir);
    const lock = await lockDataDirectory(input, config.dataDir, 'rebuild');
    try {
      return await rebuild(input, config, from, to);
    } finally {
      await lock.release();
    }
  },
};

function rangeText(from: string | undefined, to: string | undefined): string {
  if (!from && !to) return 'every date';
  return `${from ?? 'the oldest date'} to ${to ?? 'the newest date'}`;
}

/** The rebuild itself, once the data directory is locked. */
async function rebuild(input: CommandInput, config: PipelineConfig, from: string | undefined, to: string | undefined): Promise<number> {
  const startedAt = Date.now();
  const { runtime, swept } = await openLocalRuntime(config);
  if (swept > 0) input.io.err(`swept ${swept} temporary file(s) left by an interrupted run\n`);
  const stop = new StopSignal((signal) => input.io.err(`\n${signal}: finishing the current group of objects, then stopping (again to quit at once)\n`));
  try {
    const inRange = (await runtime.store.list(LAKE_PREFIXES.bronze))
      .map((object) => ({ key: object.key, parsed: parseSnapshotKey(object.key) }))
      .filter(({ parsed }) => parsed !== undefined && (!from || parsed.dt >= from) && (!to || parsed.dt <= to))
      .map(({ key }) => key);
    const summary: RebuildSummary = {
      status: 'ok',
      from: from ?? null,
      to: to ?? null,
      bronzeObjects: inRange.length,
      pendingObjects: 0,
      dates: [],
      rows: { in: 0, out: 0, quarantined: 0 },
      gold: {},
      corrupt: [],
      failed: [],
      goldFailed: [],
      outdated: [],
      durationMs: 0,
    };
    if (inRange.length === 0) {
      input.io.err(`rebuild: no bronze objects for ${rangeText(from, to)} in the lake of ${runtime.dataDir}; nothing to do\n`);
      if (input.json) input.io.out(toJson(summary));
      return EXIT.ok;
    }
    const keys = [...new Set([...inRange, ...(await pendingBronzeKeys(runtime.store))])].sort();
    summary.pendingObjects = keys.length - inRange.length;
    input.io.err(`rebuild: ${count(inRange.length)} bronze object(s) for ${rangeText(from, to)}${summary.pendingObjects > 0 ? `, plus ${count(summary.pendingObjects)} without silver` : ''}\n`);
    try {
      await rebuildLayers(input, config, runtime.store, keys, stop, summary);
    } catch (error) {
      summary.status = stop.stopping ? 'interrupted' : 'failed';
      summary.error = (error as Error).message;
    }
    if (summary.status === 'ok' && summary.failed.length + summary.goldFailed.length > 0) {
      summary.status = 'failed';
      summary.error = [
        ...(summary.failed.length > 0 ? [describeSilverFailures(summary.failed)] : []),
        ...(summary.goldFailed.length > 0 ? [describeGoldFailures(summary.goldFailed)] : []),
      ].join('; ');
    }
    summary.durationMs = Date.now() - startedAt;
    report(input, summary);
    if (summary.status === 'interrupted') return EXIT.interrupted;
    return summary.status === 'ok' ? EXIT.ok : EXIT.failure;
  } finally {
    stop.dispose();
  }
}

/** Silver over `keys`, then gold date by date (in order: trends read the days before) with the pending dates, filling `summary`. */
async function rebuildLayers(
  input: CommandInput,
  config: PipelineConfig,
  store: ObjectStore,
  keys: string[],
  stop: StopSignal,
  summary: RebuildSummary,
): Promise<void> {
  const interrupted = (before: string) => new Error(`stopped before ${before}`);
  const silverProgress = new Progress(input.io, 'silver', keys.length);
  // Ctrl-C is heard between objects; `dates` holds the neighbouring days the estimate reaches across midnight.
  const silver = await runSilver({ store, timeZone: config.timeZone, bronzeKeys: keys, stop, onObjectDone: () => silverProgress.tick(1) });
  summary.rows.in += silver.rowsIn;
  summary.rows.out += silver.rowsOut;
  summary.rows.quarantined += silver.quarantined;
  summary.failed.push(...silver.failed);
  summary.corrupt.push(...silver.corrupt);
  if (silver.skipped.length > 0) throw interrupted(`silver of ${silver.skipped.length} bronze object(s)`);
  silverProgress.done(`${plural(keys.length, 'bronze object')}, ${count(summary.rows.in)} rows in, ${count(summary.rows.out)} out`);

  // One gold run for every date, the pending ones included, so it settles the markers of the
  // silver objects just rewritten (a marker whose object is the first or last of its date needs
  // both neighbouring dates published).
  const pendingDates = (await listGoldPending(store)).flatMap((entry) => entry.dates);
  const goldProgress = new Progress(input.io, 'gold', new Set([...silver.dates, ...pendingDates]).size);
  const gold = await runGold({
    store,
    dates: silver.dates,
    includePending: true,
    silver: { timeZone: config.timeZone },
    stop,
    onDateDone: (date) => goldProgress.tick(1, date),
  });
  summary.dates = gold.dates;
  for (const [table, rows] of Object.entries(gold.tables)) summary.gold[table] = (summary.gold[table] ?? 0) + rows;
  summary.corrupt.push(...gold.corrupt);
  summary.goldFailed.push(...gold.failed);
  summary.outdated.push(...gold.outdated);
  if (gold.skipped.length > 0) throw interrupted(`gold of ${gold.skipped[0]}`);
  goldProgress.done(`${summary.dates.length} date(s)`);
}

/** A count of the objects set aside as `what`, then one line each. */
function setAsideLines(what: string, objects: readonly CorruptObject[]): string[] {
  return [
    `  set aside as ${what}: ${count(objects.length)}`,
    ...objects.map((object) => `    ${object.key} (${object.reason}) ${object.movedTo ? `moved to ${object.movedTo}` : object.action}`),
  ];
}

function report(input: CommandInput, summary: RebuildSummary): void {
  if (input.json) {
    input.io.out(toJson(summary));
    return;
  }
  const superseded = summary.corrupt.filter((object) => object.supersededBy);
  const unreadable = summary.corrupt.filter((object) => !object.supersededBy);
  const span = summary.dates.length === 0 ? 'no dates' : `${count(summary.dates.length)} date(s) ${summary.dates[0]} … ${summary.dates.at(-1)}`;
  const lines = [
    `rebuild ${summary.status} in ${formatDuration(summary.durationMs)}: ${span}, ${count(summary.bronzeObjects)} bronze object(s)` +
      (summary.pendingObjects > 0 ? ` + ${count(summary.pendingObjects)} without silver` : ''),
    `  silver: rows in ${count(summary.rows.in)}, out ${count(summary.rows.out)}, quarantined ${count(summary.rows.quarantined)}`,
    `  gold:   ${Object.entries(summary.gold).map(([table, rows]) => `${table} ${count(rows)}`).join(', ') || 'nothing rebuilt'}${describeOutdated(summary.outdated)}`,
    ...setAsideLines('unreadable', unreadable),
    // A superseded copy read fine: it is named apart, and only when there is one, as it is rare.
    ...(superseded.length > 0 ? setAsideLines('superseded', superseded) : []),
  ];
  input.io.out(`${lines.join('\n')}\n`);
  if (summary.error) {
    input.io.err(`${summary.status === 'interrupted' ? 'stopped' : 'error'}: ${summary.error}${summary.status === 'interrupted' ? `; run \`${PROGRAM} rebuild\` again to finish` : ''}\n`);
    if (summary.status !== 'interrupted') input.io.err(failureHint(summary.error) ?? '');
  }
}
