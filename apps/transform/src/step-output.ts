import type { Logger } from '@twitch-pipeline/observability';
import type { GoldSummary, SilverSummary } from '@twitch-pipeline/pipeline';

/**
 * Entries of a per-object list a handler returns. Step Functions fails a task whose result is
 * over 256 KiB (States.DataLimitExceeded, which no Catch takes), and a backlog of snapshots makes
 * the step's lists that long. 100 of each, with errors cut to `ERROR_CHARACTERS`, keep an output
 * under 100 KiB whatever the backlog, besides its dates (one per day touched).
 */
const LISTED_ENTRIES = 100;

/** Characters of a failure's error a handler returns; the step logs each error whole. */
const ERROR_CHARACTERS = 500;

/** A per-object list as a handler returns it: its length, its first keys and how many keys were left out. */
export interface ListedKeys {
  count: number;
  keys: string[];
  leftOut: number;
}

/** What the silver function returns: the dates and failures the state machine reads, and the rest counted. */
export interface SilverOutput {
  /** Every date whose gold the run changes (the gold step's input), never cut. */
  dates: string[];
  /** The first failures, each error cut to `ERROR_CHARACTERS`. */
  failed: SilverSummary['failed'];
  /** Failures not in `failed`. */
  failedLeftOut: number;
  /** Bronze objects transformed. */
  processed: ListedKeys;
  /** Unreadable bronze objects moved to quarantine. */
  corrupt: ListedKeys;
  /** Bronze objects not started before the deadline. */
  skipped: ListedKeys;
  rowsIn: number;
  rowsOut: number;
  quarantined: number;
}

/** What the gold function returns: the gold summary with its per-object lists cut. */
export interface GoldOutput extends Omit<GoldSummary, 'failed' | 'corrupt' | 'outdated'> {
  /** The first failed dates, each error cut to `ERROR_CHARACTERS`. */
  failed: GoldSummary['failed'];
  /** Failed dates not in `failed`. */
  failedLeftOut: number;
  /** Unreadable lake objects left out. */
  corrupt: ListedKeys;
  /** Silver objects of another model version, rebuilt or left out. */
  outdated: ListedKeys;
}

function listed(keys: string[]): ListedKeys {
  const first = keys.slice(0, LISTED_ENTRIES);
  return { count: keys.length, keys: first, leftOut: keys.length - first.length };
}

function firstFailures<T extends { error: string }>(failed: T[]): { failed: T[]; failedLeftOut: number } {
  const first = failed.slice(0, LISTED_ENTRIES).map((failure) => ({ ...failure, error: failure.error.slice(0, ERROR_CHARACTERS) }));
  return { failed: first, failedLeftOut: failed.length - first.length };
}

/**
 * Writes a list whole to the log, `LISTED_ENTRIES` entries a line, so no line nears the 256 KiB
 * a CloudWatch Logs event may hold.
 */
function logInParts(logger: Logger, message: string, entries: readonly object[]): void {
  const parts = Math.ceil(entries.length / LISTED_ENTRIES);
  for (let part = 0; part < parts; part++) {
    logger.info(message, { part: part + 1, parts, entries: entries.slice(part * LISTED_ENTRIES, (part + 1) * LISTED_ENTRIES) });
  }
}

/**
 * The silver function's output: the summary's dates whole, its failures and per-object lists cut
 * to their first `LISTED_ENTRIES`. The step has logged each failure and corrupt object; the
 * objects transformed and those skipped are logged here, whole.
 *
 * @example
 * const summary = await runSilver({ store, timeZone });
 * return silverOutput(summary, logger); // { dates, failed, failedLeftOut, processed: { count, keys, leftOut }, … }
 */
export function silverOutput(summary: SilverSummary, logger: Logger): SilverOutput {
  logInParts(logger, 'silver objects transformed', summary.processed);
  logInParts(
    logger,
    'silver objects not started before the deadline; they stay pending',
    summary.skipped.map((bronzeKey) => ({ bronzeKey })),
  );
  return {
    dates: summary.dates,
    ...firstFailures(summary.failed),
    processed: listed(summary.processed.map((result) => result.bronzeKey)),
    corrupt: listed(summary.corrupt.map((object) => object.key)),
    skipped: listed(summary.skipped),
    rowsIn: summary.rowsIn,
    rowsOut: summary.rowsOut,
    quarantined: summary.quarantined,
  };
}

/**
 * The gold function's output: the summary's dates and tables whole, its failures and per-object
 * lists cut to their first `LISTED_ENTRIES`. The step has logged each failure, corrupt object and
 * object left out; the outdated silver objects are logged here, whole.
 *
 * @example
 * const summary = await runGold({ store, dates: ['2026-11-29'] });
 * return goldOutput(summary, logger); // { dates, …, failed, failedLeftOut, corrupt: { count, keys, leftOut }, outdated: … }
 */
export function goldOutput(summary: GoldSummary, logger: Logger): GoldOutput {
  logInParts(logger, 'silver objects of another silver model version', summary.outdated);
  const { failed, corrupt, outdated, ...whole } = summary;
  return {
    ...whole,
    ...firstFailures(failed),
    corrupt: listed(corrupt.map((object) => object.key)),
    outdated: listed(outdated.map((object) => object.key)),
  };
}
