import { allQuarantinedProblem, type CorruptObject, type DrainSummary, type ExtractSummary, type GoldSummary, type OutdatedSilverObject, type SilverSummary } from '@twitch-pipeline/pipeline';
import { PROGRAM } from '../cli/command';

// The one-line messages a cycle, a backfill and a rebuild print about what their steps did.

/**
 * A count as the CLI's human-readable lines print it, with thousands separators (never in JSON,
 * which keeps the number).
 *
 * @example
 * count(95000); // '95,000'
 */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/**
 * Gold's rows per table as the `gold` line of a cycle, a backfill and `npm start` names them, with
 * thousands separators like every other figure the command prints.
 *
 * @example
 * describeGoldRows({ streams_diario: 62062, idiomas_periodo: 30 }); // 'streams_diario 62,062, idiomas_periodo 30'
 */
export function describeGoldRows(tables: Record<string, number>): string {
  return Object.entries(tables)
    .map(([table, rows]) => `${table} ${count(rows)}`)
    .join(', ');
}

/**
 * The `extract` line of a cycle: what reached bronze and what did not, and what the crawl cost.
 *
 * @example
 * describeExtract(summary); // '95,000 streams to bronze, 1,204 quarantined, 950 pages, 0 retries, 0 rate-limited'
 */
export function describeExtract(summary: ExtractSummary): string {
  return (
    `${plural(summary.written, 'stream')} to bronze, ${count(summary.quarantined)} quarantined, ${plural(summary.pages, 'page')}, ` +
    `${plural(summary.retries, 'retry')}, ${count(summary.rateLimited)} rate-limited${noneLiveIn(summary.languagesWithoutStreams)}`
  );
}

/**
 * The `silver` line of a cycle: the rows written and quarantined, and the objects set aside as
 * unreadable before the step (`setAside`) or by it, or as superseded copies.
 *
 * @example
 * describeSilver(summary, []); // '95,000 rows, 1,204 quarantined'
 */
export function describeSilver(summary: SilverSummary, setAside: readonly CorruptObject[]): string {
  return `${plural(summary.rowsOut, 'row')}, ${count(summary.quarantined)} quarantined${describeCorrupt([...setAside, ...summary.corrupt])}`;
}

/**
 * A count with its noun, singular or plural.
 *
 * @example
 * plural(2, 'category'); // '2 categories'
 */
export function plural(value: number, word: string): string {
  const many = word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`;
  return `${count(value)} ${value === 1 ? word : many}`;
}

/**
 * Names the requested languages with no live stream: a mistyped code collects nothing, silently otherwise.
 *
 * @example
 * noneLiveIn(['xx']); // '; none live in xx'
 */
export function noneLiveIn(languages: readonly string[]): string {
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
 * The objects a step set aside, unreadable or superseded by a later copy of their snapshot
 * (which read fine), each with its reason and where its bytes went (or that it was skipped), to
 * end the step's line.
 *
 * @example
 * describeCorrupt(silver.corrupt);
 * // '; unreadable raw/…/20261128T120000Z.parquet (truncated or torn …) moved to quarantine/corrupt/raw/…/20261128T120000Z.parquet'
 * // '; superseded copy raw/…/20261130T233000Z.parquet (superseded by raw/…, a later collection …) moved to quarantine/corrupt/raw/…'
 */
export function describeCorrupt(objects: readonly CorruptObject[]): string {
  return objects.map((object) => `; ${object.supersededBy ? 'superseded copy' : 'unreadable'} ${object.key} (${object.reason}) ${object.movedTo ? `moved to ${object.movedTo}` : object.action}`).join('');
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
 * The cycle's failure for a snapshot whose every stream was quarantined (see
 * `allQuarantinedProblem`), with the query that lists the reasons, or undefined.
 *
 * @example
 * describeAllQuarantined(extract); // 'extract: all 2,700 streams collected were quarantined, none reached bronze (first reason: …); see them with …'
 */
export function describeAllQuarantined(extract: ExtractSummary): string | undefined {
  const problem = allQuarantinedProblem(extract);
  return problem && `extract: ${problem}; see them with \`${PROGRAM} query "SELECT reason, count(*) AS n FROM quarantine_streams GROUP BY 1 ORDER BY 2 DESC"\``;
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
 * The consume line's DLQ count. A message moved there goes on to no later step, and the cycle
 * succeeds: the count alone would name neither the message nor why, so it points to where both are.
 *
 * @example
 * describeDeadLettered(0); // '0 dead-lettered'
 * describeDeadLettered(2); // '2 dead-lettered (their ids and reasons: `twitch-pipeline dlq peek`)'
 */
export function describeDeadLettered(count: number): string {
  return count > 0 ? `${count} dead-lettered (their ids and reasons: \`${PROGRAM} dlq peek\`)` : `${count} dead-lettered`;
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

/**
 * The consume step's count of messages left unconsumed, with each distinct error, when there are any.
 *
 * @example
 * notConsumed(drained.unconsumed); // '2 messages not consumed (ENOSPC: no space left on device, write), '
 */
export function notConsumed(unconsumed: DrainSummary['unconsumed']): string {
  if (unconsumed.length === 0) return '';
  return `${plural(unconsumed.length, 'message')} not consumed (${byCause(unconsumed).map((cause) => cause.error).join('; ')}), `;
}
