import { EARLIEST_SNAPSHOT_DATE } from '@twitch-pipeline/schemas';
import { PROGRAM } from '../cli/command';
import { usageError } from '../cli/errors';
import { hasIsoInstantForm, parseIsoInstant } from '../cli/iso-instant';
import type { OptionSpec } from '../cli/command';
import { DEFAULT_SIMULATOR_CHANNELS, DEFAULT_SIMULATOR_SEED, type SimulatorSettings } from './source';

/**
 * Flags shared by the commands that may start the simulator, with that command's default scale;
 * `continues`: a command that collects at the scale of the data directory's earlier simulated runs.
 *
 * @example
 * const options = { every: { ... }, ...simulatorOptions(DEFAULT_SIMULATOR_CHANNELS, true) };
 */
export function simulatorOptions(defaultChannels = DEFAULT_SIMULATOR_CHANNELS, continues = false): Record<string, OptionSpec> {
  const where = continues ? "the data directory's earlier simulated runs', else " : '';
  return {
    channels: { type: 'string', value: 'N', description: `simulator: average channels live platform-wide (default ${where}${defaultChannels.toLocaleString('en-US')})` },
    seed: { type: 'string', value: 'N', description: `simulator: random seed of the population (default ${where}${DEFAULT_SIMULATOR_SEED})` },
  };
}

/**
 * A whole number flag within bounds, or a usage error naming the flag.
 *
 * @example
 * const hours = wholeNumber(values.hours, 'hours', 'backfill', { min: 1, max: 24 * 90 }) ?? 24;
 */
export function wholeNumber(text: unknown, flag: string, command: string, bounds: { min: number; max: number }): number | undefined {
  if (text === undefined) return undefined;
  const digits = String(text).replaceAll('_', '');
  const value = Number(digits);
  // Digits only: Number() also reads '' (an unset variable, `--port "$PORT"`) as 0, and 0x10 or 1e3.
  if (!/^\d+$/.test(digits) || !Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw usageError(`--${flag} must be a whole number from ${bounds.min} to ${bounds.max} (got "${text}")`, `${PROGRAM} ${command} --help`);
  }
  return value;
}

/**
 * Simulator settings from `--channels` and `--seed`.
 *
 * @example
 * const settings = simulatorSettings(input.values, 'run');
 */
export function simulatorSettings(values: Record<string, unknown>, command: string, defaults: Partial<SimulatorSettings> = {}): SimulatorSettings {
  return {
    channels: wholeNumber(values.channels, 'channels', command, { min: 10, max: 1_000_000 }) ?? defaults.channels ?? DEFAULT_SIMULATOR_CHANNELS,
    seed: wholeNumber(values.seed, 'seed', command, { min: 0, max: 2 ** 31 - 1 }) ?? defaults.seed ?? DEFAULT_SIMULATOR_SEED,
    ...(defaults.requestsPerMinute ? { requestsPerMinute: defaults.requestsPerMinute } : {}),
  };
}

/**
 * A time given as an ISO-8601 flag value (see {@link parseIsoInstant}). With `notAfter`, the time
 * of a collection: one later than that (by more than a minute, for clocks apart) is refused, since
 * a snapshot stamped with a time to come would be read as the newest for ever after, and so is
 * one before {@link EARLIEST_SNAPSHOT_DATE}, which no snapshot may be dated.
 *
 * @example
 * parseTime('2026-11-29T21:30:00Z', 'at', 'run', new Date());
 */
export function parseTime(text: unknown, flag: string, command: string, notAfter?: Date): Date | undefined {
  if (text === undefined) return undefined;
  const time = parseIsoInstant(String(text));
  if (!time && hasIsoInstantForm(String(text))) {
    throw usageError(`--${flag} ${text} is no time of the calendar: its day, hour, minute, second or zone offset is out of range`, `${PROGRAM} ${command} --help`);
  }
  if (!time) {
    throw usageError(
      `--${flag} must be an ISO-8601 time with its zone, such as 2026-11-29T21:30:00Z or 2026-11-29T18:30:00-03:00, or a date alone for its midnight UTC (got "${text}")`,
      `${PROGRAM} ${command} --help`,
    );
  }
  if (notAfter && time.getTime() > notAfter.getTime() + 60_000) {
    throw usageError(`--${flag} ${time.toISOString()} is in the future (now ${notAfter.toISOString()}): snapshots are taken of what is live, not what will be`, `${PROGRAM} ${command} --help`);
  }
  if (notAfter && time.getTime() < Date.parse(`${EARLIEST_SNAPSHOT_DATE}T00:00:00Z`)) {
    throw usageError(`--${flag} ${time.toISOString()} is before ${EARLIEST_SNAPSHOT_DATE}, long before any Twitch data: no snapshot is dated that early`, `${PROGRAM} ${command} --help`);
  }
  return time;
}
