import type { PipelineConfig } from '@twitch-pipeline/schemas';
import { type Command, type CommandInput, PROGRAM } from '../cli/command';
import { CliError, EXIT, usageError } from '../cli/errors';
import { formatDuration, parseDuration } from '../cli/duration';
import { toJson } from '../cli/io';
import { failureHint } from '../cli/report-error';
import { terminalSafeLines } from '../cli/table';
import { StopSignal } from '../cli/signals';
import { backfillSlots, type RealtimeScope, runBackfill } from '../runtime/backfill';
import { count, plural } from '../runtime/cycle-messages';
import { LOCK_OPTIONS, lockDataDirectory } from '../runtime/data-lock';
import { spareCores } from '../runtime/extract-pool';
import { lowMemoryNote } from '../runtime/memory-note';
import { localRuntime, openLocalRuntime } from '../runtime/local-runtime';
import { MAX_INTERVAL_MINUTES } from '../runtime/cycle-schedule';
import { parseTime, simulatorOptions, simulatorSettings, wholeNumber } from '../runtime/run-options';
import { writeRunRecord } from '../runtime/runs-log';
import { recordedScale, simulatorScaleFor } from '../runtime/simulator-scale';
import { checkSimulatedLanguages, hasTwitchCredentials, startSimulator } from '../runtime/source';

/** A virtual-clock backfill is not limited by Twitch's budget: let the simulator answer at full speed. */
export const BACKFILL_REQUESTS_PER_MINUTE = 1_000_000;

const REALTIME_SCOPES: RealtimeScope[] = ['all', 'latest', 'none'];

/** `backfill`: simulated history through the simulator's virtual clock. */
export const backfillCommand: Command = {
  name: 'backfill',
  usage: ['backfill --hours N [--interval 30m] [--end TIME] [--realtime all|latest|none] [--wait] [--channels N] [--seed N]'],
  details:
    'Simulator only: Twitch reports what is live now, never the past, so this refuses when Twitch credentials\n' +
    'are set. One snapshot per interval ending at --end (default: now), each through the real-time path as\n' +
    '--realtime says; then silver over every new snapshot and gold over the dates they touch.',
  options: {
    hours: { type: 'string', value: 'N', description: 'hours of history to simulate (required)' },
    interval: { type: 'string', value: 'PERIOD', description: 'time between snapshots (default PIPELINE_INTERVAL_MINUTES, 30m)' },
    end: { type: 'string', value: 'TIME', description: 'ISO-8601 time of the last snapshot, floored to the interval (default: now)' },
    realtime: { type: 'string', value: 'SCOPE', description: 'snapshots sent through queue → consumer → table: all (default), latest, none' },
    ...LOCK_OPTIONS,
    ...simulatorOptions(undefined, true),
  },
  examples: [`${PROGRAM} backfill --hours 24`, `${PROGRAM} backfill --hours 168 --interval 1h --channels 5000 --realtime latest`],
  async run(input) {
    const config = input.config();
    if (hasTwitchCredentials(config)) {
      throw new CliError('backfill simulates history and Twitch cannot be asked about the past', {
        exitCode: EXIT.usage,
        hint: 'unset TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET to backfill simulated data (in another PIPELINE_DATA_DIR),\nor collect real data going forward with `twitch-pipeline run --every 30m`',
      });
    }
    const languagesNote = await checkSimulatedLanguages(config);
    const hours = wholeNumber(input.values.hours, 'hours', 'backfill', { min: 1, max: 24 * 366 });
    if (hours === undefined) throw usageError('--hours is required, e.g. --hours 24', `${PROGRAM} backfill --help`);
    const intervalText = input.values.interval as string | undefined;
    if (intervalText !== undefined) {
      const ms = parseDuration(intervalText);
      if (ms === undefined || ms % 60_000 !== 0 || ms / 60_000 > MAX_INTERVAL_MINUTES) {
        throw usageError(`--interval must be whole minutes from 1m to 24h, such as 30m or 1h (got "${intervalText}")`, `${PROGRAM} backfill --help`);
      }
      config.intervalMinutes = ms / 60_000;
    }
    const realtime = (input.values.realtime as RealtimeScope | undefined) ?? 'all';
    if (!REALTIME_SCOPES.includes(realtime)) throw usageError(`--realtime must be one of ${REALTIME_SCOPES.join(', ')} (got "${realtime}")`, `${PROGRAM} backfill --help`);
    const end = parseTime(input.values.end, 'end', 'backfill', new Date()) ?? new Date();
    const slots = backfillSlots(end, hours, config.intervalMinutes);
    const settings = simulatorSettings(input.values, 'backfill', { requestsPerMinute: BACKFILL_REQUESTS_PER_MINUTE });
    if (languagesNote) input.io.err(languagesNote);
    const lock = await lockDataDirectory(input, config.dataDir, 'backfill');
    try {
      // Read once locked, so that no other command's run lands between the choice and the collection.
      const chosen = await simulatorScaleFor(localRuntime(config).runsDir, input.values, settings);
      if (chosen.note) input.io.err(chosen.note);
      return await backfill(input, config, { end, hours, realtime, slots, settings: chosen.settings });
    } finally {
      await lock.release();
    }
  },
};

/** The backfill itself, once the data directory is locked. */
async function backfill(
  input: CommandInput,
  config: PipelineConfig,
  options: { end: Date; hours: number; realtime: RealtimeScope; slots: Date[]; settings: ReturnType<typeof simulatorSettings> },
): Promise<number> {
  const { end, hours, realtime, slots, settings } = options;
  const { runtime, swept } = await openLocalRuntime(config);
  if (swept > 0) input.io.err(`swept ${swept} temporary file(s) left by an interrupted run\n`);
  // Snapshots fall on the interval's slots, as run's cycles do: an --end between two is moved back, said here so the last snapshot is not taken for --end's.
  const floored = input.values.end !== undefined && slots.at(-1)!.getTime() !== end.getTime() ? ` (the slot at or before --end ${end.toISOString()})` : '';
  input.io.err(
    `backfill: ${plural(slots.length, 'snapshot')} every ${config.intervalMinutes} min from ${slots[0]!.toISOString()} to ${slots.at(-1)!.toISOString()}${floored}, ` +
      `${config.languages.join(',')}, simulator with ${settings.channels.toLocaleString('en-US')} channels live on average (seed ${settings.seed})\n`,
  );
  const memoryNote = lowMemoryNote(settings.channels);
  if (memoryNote) input.io.err(memoryNote);
  const simulator = await startSimulator({ ...settings, startTime: slots[0]! });
  const stop = new StopSignal((signal) => input.io.err(`\n${signal}: finishing the current snapshot, then stopping (again to quit at once)\n`));
  try {
    const ran = await runBackfill({ runtime, simulator, config, end, hours, realtime, io: input.io, stop, workers: { count: spareCores(), settings } });
    const record = { ...ran, simulator: recordedScale(settings) };
    // Told before the record is written: on a full disk that write fails too, and what the
    // backfill did and why it stopped must not be lost behind it.
    if (input.json) input.io.out(toJson(record));
    else {
      input.io.out(
        `backfill ${record.status} in ${formatDuration(record.durationMs)}: ${plural(record.snapshots.length, 'snapshot')}, bronze ${count(record.rows.bronze)}, ` +
          `silver ${count(record.rows.silver)}, quarantined ${count(record.rows.quarantinedAtExtract + record.rows.quarantinedAtSilver)}, published ${count(record.published)}, consumed ${count(record.consumed)}\n`,
      );
      if (record.error && record.status === 'failed') input.io.err(`error: ${terminalSafeLines(record.error)}\n${failureHint(record.error) ?? ''}`);
    }
    await writeRunRecord(runtime.runsDir, record).catch((error: Error) => {
      if (record.status === 'ok') throw error;
      input.io.err(`  run record not written: ${error.message}\n`);
    });
    if (record.status === 'interrupted') return EXIT.interrupted;
    return record.status === 'ok' ? EXIT.ok : EXIT.failure;
  } finally {
    stop.dispose();
    await simulator.close();
  }
}
