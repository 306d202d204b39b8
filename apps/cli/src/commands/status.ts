import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { GOLD_TABLES, LAKE_PREFIXES, silverKey, snapshotTime } from '@twitch-pipeline/schemas';
import { listGoldPending, pendingBronzeKeys } from '@twitch-pipeline/pipeline';
import type { SkippedLines } from '@twitch-pipeline/storage';
import { type Command, PROGRAM } from '../cli/command';
import { formatDuration } from '../cli/duration';
import { toJson } from '../cli/io';
import { formatTable, terminalSafe } from '../cli/table';
import { describeStrayKeys, firstNamed, lakeObjectOf, strayLakeKeys } from '../lake/lake-keys';
import { describeBadObjects } from '../lake/lake-object-check';
import { describeOutdatedObjects, outdatedWithoutBronze } from '../lake/outdated-objects';
import { assertDataDirectory } from '../lake/data-directory';
import { LakeSession } from '../lake/lake-session';
import { LAKE_VIEWS } from '../lake/views';
import { count, plural } from '../runtime/cycle-messages';
import { localRuntime } from '../runtime/local-runtime';
import { type LockState, lockStateOf } from '../runtime/data-lock';
import { describeHolder } from '../runtime/lock-holder';
import { readRunLog } from '../runtime/runs-log';
import { wholeNumber } from '../runtime/run-options';

/**
 * How long ago an instant was, for the freshness lines; one ahead of this machine's clock (a
 * snapshot collected under another clock, or this one set back) says so, rather than "0 ms ago".
 *
 * @example
 * ageText('2026-12-07T12:00:00Z', Date.parse('2026-12-07T12:30:00Z')); // '30 min 0 s ago'
 */
export function ageText(iso: string | undefined, now: number): string {
  if (!iso) return 'never';
  const ago = now - Date.parse(iso);
  return ago >= 0 ? `${formatDuration(ago)} ago` : `${formatDuration(-ago)} ahead of this machine's clock`;
}

/**
 * A real-time event's time (a TIMESTAMP, in UTC, as DuckDB writes it) as an instant written like
 * bronze's latest snapshot above it, so that the freshness lines read in one zone.
 *
 * @example
 * utcInstant('2026-12-06 20:30:00'); // '2026-12-06T20:30:00Z'
 */
export function utcInstant(timestamp: string | undefined): string | undefined {
  return timestamp ? `${timestamp.replace(' ', 'T')}Z` : undefined;
}

/** `status`: recent cycles, queue and DLQ depth, freshness of each layer. */
export const statusCommand: Command = {
  name: 'status',
  usage: ['status [--limit N]'],
  options: { limit: { type: 'string', short: 'n', value: 'N', description: 'recent runs to show (default 10)' } },
  examples: [`${PROGRAM} status`, `${PROGRAM} status --json`],
  async run(input) {
    const config = input.config();
    if (!existsSync(config.dataDir)) {
      // Opening it would create it (queue, real-time table): say where data would go instead.
      const dataDir = resolve(config.dataDir);
      if (input.json) input.io.out(toJson({ dataDir, exists: false }));
      else input.io.out(`Data directory: ${dataDir} (none yet: \`npm start\` or \`${PROGRAM} run\` collects into it)\n`);
      return 0;
    }
    assertDataDirectory(config.dataDir);
    const runtime = localRuntime(config);
    const limit = wholeNumber(input.values.limit, 'limit', 'status', { min: 1, max: 1000 }) ?? 10;
    const [{ records: runs, unreadable: unreadableRuns }, skipped, dead, queue, lake, goldPending, lockState] = await Promise.all([
      readRunLog(runtime.runsDir, limit),
      runtime.table.skippedLines(),
      runtime.queue.deadLetterQueue().count(),
      runtime.queue.counts(),
      runtime.store.listReadable(''),
      listGoldPending(runtime.store),
      lockStateOf(config.dataDir),
    ]);
    // Who writes the data now (a teammate's collector, one in another terminal): its token stays out.
    const lock = lockState && {
      ...(lockState.holder ? { command: lockState.holder.command, pid: lockState.holder.pid, host: lockState.holder.host, startedAt: lockState.holder.startedAt } : {}),
      ...(lockState.stale ? { stale: lockState.stale } : {}),
    };
    // A snapshot whose silver lies in a folder this user cannot list is not known to be pending.
    const hidden = (key: string) => {
      const object = lakeObjectOf(key);
      return object !== undefined && lake.unreadable.some((folder) => silverKey(object.dt, object.snapshotId).startsWith(folder.key));
    };
    const silverPending = (await pendingBronzeKeys(runtime.store, lake.objects)).filter((key) => !hidden(key));
    const session = await LakeSession.open(config.dataDir, { onBadObjects: () => {}, onOutdatedObjects: () => {}, onGoldPending: () => {} });
    const realtime = await (async () => {
      try {
        // Opening every object of every view (a count reads only footers) finds a file damaged with
        // its size and time kept, which the cached checks pass and a query of other views never opens.
        for (const view of LAKE_VIEWS) {
          // A view that still fails once its bad files are left out is named; the rest of status stands.
          await session.query(`SELECT count(*) FROM ${view.name}`).catch((error: Error) => input.io.err(`warning: ${view.name} cannot be read: ${terminalSafe(error.message)}\n`));
        }
        // Every live version of each key: the same newest time and channels as realtime_events,
        // without ranking two days of versions (a third of the cost; as the dashboard reads them).
        return await session.query(`SELECT max("timestamp") AS latest, count(DISTINCT nome_streamer) AS channels FROM ${session.realtimeEveryVersion()}`);
      } finally {
        await session.close();
      }
    })();
    const now = Date.now();
    // The views name the folders under their layers; a folder elsewhere in the lake is named here.
    const unreadable = [...session.badObjects, ...lake.unreadable.filter((folder) => !session.badObjects.some((bad) => bad.key === folder.key))];
    const keys = lake.objects.map((object) => object.key);
    const objects = keys.flatMap((key) => lakeObjectOf(key) ?? []);
    // Snapshot ids are collection times written YYYYMMDDTHHMMSSZ, so the greatest is the newest, whatever its date.
    const snapshots = objects.filter((object) => object.prefix === LAKE_PREFIXES.bronze).map((object) => object.snapshotId);
    const goldDates = objects.filter((object) => object.prefix === `${LAKE_PREFIXES.gold}${Object.keys(GOLD_TABLES)[0]}/`).map((object) => object.dt);
    const freshness = {
      bronze: snapshotTime(snapshots.sort().at(-1) ?? ''),
      bronzeSnapshots: snapshots.length,
      goldLatestDate: goldDates.sort().at(-1),
      /** Snapshots whose bronze has no silver yet, or changed after it (a run stopped between the two); the next cycle builds them. */
      silverPendingSnapshots: silverPending.flatMap((key) => lakeObjectOf(key)?.snapshotId ?? []),
      /** Dates with silver objects no gold run has folded in yet; the next cycle rebuilds them. */
      goldPendingDates: [...new Set(goldPending.flatMap((entry) => entry.dates))].sort(),
      realtime: utcInstant(realtime.rows[0]?.[0] ? String(realtime.rows[0][0]) : undefined),
      realtimeChannels: Number(realtime.rows[0]?.[1] ?? 0),
      realtimeTornLines: skipped.tornLines,
      /** Per real-time segment, the lines that hold no stored item, the first few by number. */
      realtimeSkippedLines: skipped.segments,
      unreadableObjects: unreadable,
      outdatedObjects: session.outdatedObjects,
      /** Those of `outdatedObjects` in silver whose bronze object is gone: no rebuild can rewrite them, and gold leaves their rows out. */
      outdatedWithoutBronze: outdatedWithoutBronze(session.outdatedObjects, runtime.store.root),
      /** Files in the lake no step wrote (copied in by hand, left by a file manager): no view reads them. */
      strayFiles: strayLakeKeys(keys),
    };
    if (input.json) {
      input.io.out(toJson({ dataDir: runtime.dataDir, lock: lock ?? null, runs, unreadableRuns, queue: { ...queue, deadLetters: dead }, freshness }));
      return 0;
    }
    const lines = [`Data directory: ${runtime.dataDir}`, ...(lockState ? [lockLine(lockState)] : []), '', 'Recent runs:'];
    input.io.out(`${lines.join('\n')}\n`);
    if (runs.length === 0) input.io.out(`  none yet: \`${PROGRAM} run\` runs one cycle\n`);
    else {
      input.io.out(
        formatTable({
          columns: ['started (UTC)', 'kind', 'source', 'status', 'took', 'snapshots', 'bronze', 'quarantined', 'silver', 'gold', 'published', 'consumed'],
          rows: runs.map((run) => [
            run.startedAt.slice(0, 19).replace('T', ' '),
            // Recorded as a backfill, which it is; but its user started the demo, and knows it as that.
            run.demo ? 'demo' : run.kind,
            run.source,
            run.error ? `${run.status}: ${run.error}` : run.status,
            formatDuration(run.durationMs),
            run.snapshots.length === 1 ? run.snapshots[0] : run.snapshots.length,
            run.rows.bronze,
            run.rows.quarantinedAtExtract + run.rows.quarantinedAtSilver,
            run.rows.silver,
            Object.values(run.rows.gold).reduce((sum, rows) => sum + rows, 0),
            run.published,
            run.consumed,
          ]),
        }),
      );
    }
    // The table cuts a long error to a cell; the newest one is the one to act on, printed whole.
    const lastError = runs.find((run) => run.error);
    if (lastError) input.io.out(`  last error (${lastError.startedAt.slice(0, 19).replace('T', ' ')}, ${lastError.status}): ${terminalSafe(lastError.error!)}\n`);
    if (unreadableRuns.length > 0) {
      // A file dropped into the runs folder names itself, and JSON's parse error quotes what it holds.
      const names = unreadableRuns.map((run) => `${run.file} (${run.reason})`).join(', ');
      input.io.out(`  ${unreadableRuns.length} unreadable run record(s) skipped: ${terminalSafe(names)}\n`);
    }
    input.io.out(
      [
        '',
        `Queue: ${count(queue.visible)} waiting, ${count(queue.inFlight)} in flight; DLQ: ${count(dead)}${dead > 0 ? ` (inspect with \`${PROGRAM} dlq peek\`)` : ''}`,
        'Freshness:',
        `  bronze     latest snapshot ${freshness.bronze ?? '—'} (${ageText(freshness.bronze, now)}), ${plural(freshness.bronzeSnapshots, 'snapshot')}`,
        ...(freshness.silverPendingSnapshots.length > 0 ? [`  silver     pending (the next cycle builds them): ${firstNamed(freshness.silverPendingSnapshots)}`] : []),
        `  gold       latest date ${freshness.goldLatestDate ?? '—'}` +
          (freshness.goldPendingDates.length > 0 ? `; pending (the next cycle rebuilds them): ${freshness.goldPendingDates.join(', ')}` : ''),
        `  real time  latest event ${freshness.realtime ?? '—'} (${ageText(freshness.realtime, now)}), ${freshness.realtimeChannels.toLocaleString('en-US')} channels` +
          (skipped.tornLines > 0 ? `; ${describeSkippedLines(skipped)}` : ''),
        ...(unreadable.length > 0 ? ['', describeBadObjects(unreadable).trimEnd()] : []),
        ...(session.outdatedObjects.length > 0 ? ['', describeOutdatedObjects(session.outdatedObjects, freshness.outdatedWithoutBronze).trimEnd()] : []),
        ...(freshness.strayFiles.length > 0 ? ['', describeStrayKeys(freshness.strayFiles)] : []),
        '',
      ].join('\n'),
    );
    return 0;
  },
};

/** Where the real-time lines readers skip are, so that a damaged segment can be found and looked at. */
/** The line naming who holds the data directory's lock, or that its holder is gone. */
function lockLine({ holder, stale }: LockState): string {
  const who = holder ? describeHolder(holder) : 'an unknown process';
  if (!stale) return terminalSafe(`Writing now: ${who}: another writing command waits for it with --wait, and is refused without`);
  return terminalSafe(`Lock left by ${who}: ${stale}; the next writing command takes it over`);
}

function describeSkippedLines({ tornLines, segments }: SkippedLines): string {
  const places = segments.map(({ segment, count, lines }) => {
    const more = count > lines.length ? ` and ${count - lines.length} more` : '';
    return `realtime/segments/${segment} line ${lines.join(', ')}${more}`;
  });
  return `${tornLines} line(s) skipped that hold no item (a write cut short by a crash, or damage): ${firstNamed(places)}`;
}
