import { type PipelineConfig, snapshotIdFor } from '@twitch-pipeline/schemas';
import { isCredentialRefusal } from '@twitch-pipeline/twitch';
import { type Command, type CommandInput, PROGRAM } from '../cli/command';
import { EXIT, usageError } from '../cli/errors';
import { formatDuration, parseDuration } from '../cli/duration';
import { toJson, toJsonLine } from '../cli/io';
import { OutputClosedError } from '../cli/output-closed-error';
import { OutputFailedError } from '../cli/output-failed-error';
import { failureHint } from '../cli/report-error';
import { terminalSafeLines } from '../cli/table';
import { abortAt, StopSignal } from '../cli/signals';
import { alertRulesNote } from '../runtime/alert-rules-note';
import { CycleInterrupted, newRunRecord, runCycle, scheduledTime } from '../runtime/cycle';
import { count } from '../runtime/cycle-messages';
import { cutCrawlNote } from '../runtime/cut-crawl-note';
import { type CutCrawl, cutCrawl, cycleDeadline, MAX_INTERVAL_MINUTES, nextSlot } from '../runtime/cycle-schedule';
import { watchStalls } from '../runtime/event-loop-stalls';
import { type DataLock, LOCK_OPTIONS, lockDataDirectory } from '../runtime/data-lock';
import { collectorMemoryNote } from '../runtime/memory-note';
import { localRuntime, openLocalRuntime } from '../runtime/local-runtime';
import { parseTime, simulatorOptions, simulatorSettings } from '../runtime/run-options';
import { type RunRecord, writeRunRecord } from '../runtime/runs-log';
import { recordedScale, simulatorScaleFor } from '../runtime/simulator-scale';
import { checkSimulatedLanguages, DEFAULT_SIMULATOR_CHANNELS, hasTwitchCredentials, openStreamsSource } from '../runtime/source';

function intervalOf(input: CommandInput, configured: number): number {
  const every = input.values.every as string | undefined;
  if (every === undefined) return configured;
  const ms = parseDuration(every);
  if (ms === undefined || ms % 60_000 !== 0 || ms / 60_000 > MAX_INTERVAL_MINUTES) {
    throw usageError(`--every must be whole minutes from 1m to 24h, such as 30m or 1h (got "${every}")`, `${PROGRAM} run --help`);
  }
  return ms / 60_000;
}

/** The cycle's line on stdout; a cycle that collected nothing is named by its slot. */
function summaryLine(record: RunRecord, collectedAt: Date): string {
  const gold = Object.values(record.rows.gold).reduce((sum, rows) => sum + rows, 0);
  return (
    `cycle ${record.snapshots.join(', ') || `${snapshotIdFor(collectedAt)} (not collected)`} ${record.status} in ${formatDuration(record.durationMs)}: ` +
    `bronze ${count(record.rows.bronze)}, quarantined ${count(record.rows.quarantinedAtExtract + record.rows.quarantinedAtSilver)}, ` +
    `silver ${count(record.rows.silver)}, gold ${count(gold)}, published ${count(record.published)}, consumed ${count(record.consumed)}`
  );
}

/** `run`: one pipeline cycle now, or one every period until stopped. */
export const runCommand: Command = {
  name: 'run',
  usage: ['run [--every 30m] [--at TIME] [--wait] [--channels N] [--seed N]'],
  details:
    'Collects from Twitch when TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET are set, otherwise from the built-in\n' +
    'simulator. The snapshot is named after its schedule slot (the time floored to the interval), so running\n' +
    'again within one slot rewrites the same objects (the simulator gives the same rows; Twitch, the streams live\n' +
    'at that second crawl). Ctrl-C finishes the current step and\n' +
    'stops (a second Ctrl-C quits at once); every object is published whole, and the next start sweeps any\n' +
    'temporary file left behind. Each cycle is recorded under <data dir>/runs (see `status`).\n' +
    'Only one command writes a data directory at a time (its pipeline.lock file): a second `run`, `start` or\n' +
    '`backfill` refuses, naming the holder, or waits for it with --wait.',
  options: {
    every: { type: 'string', value: 'PERIOD', description: 'keep running, one cycle per period (e.g. 30m, 1h) until Ctrl-C' },
    at: { type: 'string', value: 'TIME', description: 'simulator only: collect the slot of this ISO-8601 time instead of now' },
    json: { type: 'boolean', description: "print the cycle's record as JSON on stdout (with --every: one line per cycle as it ends, JSON Lines)" },
    ...LOCK_OPTIONS,
    ...simulatorOptions(undefined, true),
  },
  examples: [`${PROGRAM} run`, `${PROGRAM} run --every 30m`, `${PROGRAM} run --channels 2000 --at 2026-11-29T21:30:00Z`],
  async run(input) {
    const config = input.config();
    config.intervalMinutes = intervalOf(input, config.intervalMinutes);
    const asked = parseTime(input.values.at, 'at', 'run', new Date());
    const every = input.values.every !== undefined;
    if (asked && every) throw usageError('--at names one slot; it cannot be combined with --every', `${PROGRAM} run --help`);
    // The slot the time falls in, as a scheduled cycle names it: 12:10 collects the 12:00 snapshot.
    const at = asked ? scheduledTime(asked, config.intervalMinutes) : undefined;
    const firstSlot = scheduledTime(at ?? new Date(), config.intervalMinutes);
    const settings = { ...simulatorSettings(input.values, 'run'), startTime: firstSlot };
    if (!hasTwitchCredentials(config)) {
      const languagesNote = await checkSimulatedLanguages(config);
      if (languagesNote) input.io.err(languagesNote);
    }
    const lock = await lockDataDirectory(input, config.dataDir, every ? 'run --every' : 'run');
    try {
      // Read once locked, so that no other command's run lands between the choice and the collection.
      const chosen = hasTwitchCredentials(config) ? { settings } : await simulatorScaleFor(localRuntime(config).runsDir, input.values, settings);
      if (chosen.note) input.io.err(chosen.note);
      return await runCycles(input, config, { at, every, settings: { ...chosen.settings, startTime: firstSlot }, lock });
    } finally {
      await lock.release();
    }
  },
};

/**
 * The slot a collector collects after `previous`, worked out once awake (a laptop may have slept
 * through several), naming the slots no cycle can collect any more; `crawlMs` is what the last
 * crawl took and `awaited` the slot the collector slept until (see {@link nextSlot}).
 */
function slotAfter(input: CommandInput, previous: Date, intervalMinutes: number, crawlMs: number, awaited: Date | undefined): Date {
  const { next, missed } = nextSlot(previous, new Date(), intervalMinutes, crawlMs, awaited);
  if (missed.length > 0) {
    const times = missed.length > 3 ? `${missed[0]!.toISOString()} to ${missed.at(-1)!.toISOString()}` : missed.map((time) => time.toISOString()).join(', ');
    const why =
      crawlMs > 0
        ? `the cycle before ran past them, the machine slept, or less was left of a slot than the last crawl took (${formatDuration(crawlMs)})`
        : 'the cycle before ran past them, or the machine slept';
    input.io.err(`missed ${missed.length} slot(s), ${times}: ${why}; Twitch reports only what is live now\n`);
  }
  return next;
}

/** How many channels a cycle collects: the simulator's, or Twitch's platform within the configured caps. */
function channelsCollected(config: PipelineConfig, kind: string, simulated: number): number {
  if (kind !== 'twitch') return simulated;
  const capped = config.maxStreamsPerLanguage !== undefined && config.languages.length > 0;
  return capped ? Math.min(DEFAULT_SIMULATOR_CHANNELS, config.maxStreamsPerLanguage! * config.languages.length) : DEFAULT_SIMULATOR_CHANNELS;
}

/**
 * Whether the collector's lock is gone, saying so: the folder was moved or deleted, or the lock
 * removed or taken over. A collector going on would make a new, partial data directory without a
 * lock where the old one was, from its paths.
 */
async function lockLost(input: CommandInput, config: PipelineConfig, lock: DataLock): Promise<boolean> {
  if (await lock.stillHeld()) return false;
  input.io.err(
    `${config.dataDir} no longer holds this collector's lock (${lock.path}): the folder was moved or deleted, or its lock removed ` +
      'or taken over; the collector stops rather than write a new data directory there. Start it again on the folder it should write\n',
  );
  return true;
}

/**
 * Prints a collector's cycle line; false once stdout takes no more (a full disk behind it, its
 * reader gone), said once on stderr. Collecting is the collector's work, and a slot not collected
 * is lost for good: it goes on, each cycle still recorded under runs/ for `status` to show.
 */
async function printCycleLine(input: CommandInput, line: string): Promise<boolean> {
  try {
    input.io.out(line);
    // A write to a full disk fails a tick later: asked now, not at the next cycle's line a period on.
    await input.io.finished?.();
    return true;
  } catch (error) {
    if (!(error instanceof OutputClosedError || error instanceof OutputFailedError)) throw error;
    const why = error instanceof OutputFailedError ? error.message : 'stdout was closed by its reader';
    input.io.err(`${why}: the collector goes on without printing its cycle lines (\`${PROGRAM} status\` shows them)\n`);
    return false;
  }
}

/** The cycles of `run`, once the data directory is locked. */
async function runCycles(
  input: CommandInput,
  config: PipelineConfig,
  options: { at: Date | undefined; every: boolean; settings: ReturnType<typeof simulatorSettings> & { startTime: Date }; lock: DataLock },
): Promise<number> {
  const { at, every, settings, lock } = options;
  const { runtime, swept } = await openLocalRuntime(config);
  if (swept > 0) input.io.err(`swept ${swept} temporary file(s) left by an interrupted run\n`);
  const source = await openStreamsSource(config, settings);
  if (at && source.kind === 'twitch') {
    await source.close();
    throw usageError('--at needs the simulator: Twitch only reports what is live now', `${PROGRAM} run --help`);
  }
  input.io.err(`collecting from ${source.description}\n`);
  const memoryNote = collectorMemoryNote(channelsCollected(config, source.kind, settings.channels), undefined, source.kind !== 'twitch');
  if (memoryNote) input.io.err(memoryNote);
  const stop = new StopSignal((signal) => input.io.err(`\n${signal}: finishing the current step, then stopping (again to quit at once)\n`));
  // The one cycle of a `run --json`, printed at the end; `run --every --json` prints each as it ends.
  let single: RunRecord | undefined;
  let anyNotOk = false;
  // Until stdout takes no more: then the collector goes on without its cycle lines.
  let printing = true;
  let previous: Date | undefined;
  let crawlMs = 0;
  let awaited: Date | undefined;
  try {
    for (;;) {
      const first = previous === undefined;
      if (!first && (await lockLost(input, config, lock))) {
        anyNotOk = true;
        break;
      }
      const collectedAt = previous ? slotAfter(input, previous, config.intervalMinutes, crawlMs, awaited) : (at ?? scheduledTime(new Date(), config.intervalMinutes));
      if (previous && collectedAt.getTime() > Date.now()) {
        // The slot begun had too little left of it and was named missed: wait for the one after,
        // then work the slot out again (the machine may sleep meanwhile), from the missed one.
        previous = new Date(collectedAt.getTime() - config.intervalMinutes * 60_000);
        awaited = collectedAt;
        if (await stop.sleepUntil(collectedAt.getTime())) break;
        continue;
      }
      // As a server reloads its configuration: an edit of the rules applies from the next cycle,
      // without a restart, and a bad one keeps the rules in force instead of stopping the collector.
      const rulesNote = alertRulesNote(runtime.checkAlertRules());
      if (rulesNote) input.io.err(rulesNote);
      source.simulator?.clock.set(collectedAt);
      const startedAt = new Date();
      const deadline = cycleDeadline(collectedAt, startedAt, config.intervalMinutes, first);
      const record = newRunRecord('cycle', source.kind, startedAt);
      if (source.kind === 'simulator') record.simulator = recordedScale(settings);
      // A cycle never holds up the next slot: its crawl gives up at the end of its own.
      const timeout = abortAt(deadline.getTime());
      // On a clock that stands still while the machine is suspended, unlike the wall clock.
      const began = performance.now();
      const stalls = watchStalls();
      let cut: CutCrawl | undefined;
      let credentialsRefused = false;
      try {
        await runCycle(
          {
            runtime,
            source,
            config,
            collectedAt,
            stop,
            signal: timeout.signal,
            onStep: (step, phase, detail) => {
              if (phase === 'end') input.io.err(`  ${step.padEnd(8)} ${detail} (${formatDuration(record.steps[step] ?? 0)})\n`);
            },
          },
          record,
        );
      } catch (error) {
        // A crawl asked to stop fails at its first failing call instead of retrying it: the stop, not Twitch, ended it.
        const stoppedCrawl = stop.stopping && record.steps.extract === undefined;
        record.status = error instanceof CycleInterrupted || stoppedCrawl ? 'interrupted' : 'failed';
        record.error = (error as Error).message;
        credentialsRefused = record.status === 'failed' && source.kind === 'twitch' && isCredentialRefusal(error);
        if (record.status === 'failed') input.io.err(`  failed: ${terminalSafeLines(record.error)}\n${failureHint(record.error) ?? ''}`);
        else if (stoppedCrawl) input.io.err(`  stopped during the crawl, nothing written: ${terminalSafeLines(record.error)}\n`);
        const allotted = deadline.getTime() - startedAt.getTime();
        if (timeout.signal.aborted && record.steps.extract === undefined) cut = cutCrawl(allotted, performance.now() - began, stalls.stalledMs());
        const cutNote = cut && cutCrawlNote(cut, allotted);
        if (cutNote) input.io.err(cutNote);
      } finally {
        timeout.dispose();
        stalls.dispose();
      }
      record.finishedAt = new Date().toISOString();
      record.durationMs = Date.now() - startedAt.getTime();
      // A collector outlives a disk that is full for a while: the record that could not be
      // written is named, and the next cycle (which would fail too, and say so) tries again.
      const written = await writeRunRecord(runtime.runsDir, record).catch((error: Error) => {
        input.io.err(`  run record not written: ${error.message}\n`);
      });
      anyNotOk ||= record.status !== 'ok' || written === undefined;
      // A collector may run for months: its --json is one line per cycle (JSON Lines), for a log
      // shipper or `jq` to read as they come, rather than one document printed when it stops.
      const line = input.json ? toJsonLine(record) : `${summaryLine(record, collectedAt)}\n`;
      if (!every && input.json) single = record;
      else if (!every) input.io.out(line);
      else if (printing) printing = await printCycleLine(input, line);
      if (!every || stop.stopping) break;
      if (credentialsRefused) {
        // The credentials come from the environment, read once: every later slot would be refused too.
        input.io.err(
          'Twitch refused the app credentials (TWITCH_CLIENT_ID, TWITCH_CLIENT_SECRET): every later cycle would be refused the same way, ' +
            'so the collector stops; correct them and start it again\n',
        );
        break;
      }
      previous = collectedAt;
      // A crawl that failed left no time of its own: the last one measured stands. One its slot's
      // end cut short needs at least the time it had (see cutCrawl), or every slot begun with less
      // left of it would start a crawl bound to be cut short too, after asking Twitch for its pages.
      crawlMs = record.steps.extract ?? (cut ? Math.max(crawlMs, cut.needsMs) : crawlMs);
      if (await lockLost(input, config, lock)) {
        anyNotOk = true;
        break;
      }
      const { next } = nextSlot(collectedAt, new Date(), config.intervalMinutes, crawlMs);
      input.io.err(`next cycle at ${next.toISOString()} (Ctrl-C to stop)\n`);
      awaited = next;
      if (await stop.sleepUntil(next.getTime())) break;
    }
  } finally {
    stop.dispose();
    await source.close();
  }
  if (single) input.io.out(toJson(single));
  if (stop.stopping) return EXIT.interrupted;
  return anyNotOk ? EXIT.failure : EXIT.ok;
}
