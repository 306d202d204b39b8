import { readRunLog } from './runs-log';
import type { SimulatorSettings } from './source';

/** The simulator scale a simulated run collected at, as its run record keeps it. */
export interface SimulatorScale {
  channels: number;
  seed: number;
}

/** How many of the newest run records are searched for the directory's scale. */
const RECORDS_SEARCHED = 50;

/**
 * The scale of the newest simulated run recorded in a data directory, or undefined when there is
 * none, when that run was written by a version that did not record it, or when the run log cannot
 * be read (its scale is unknown).
 * A collection at another scale would put a second population beside the first in the same lake.
 *
 * @example
 * const remembered = await directoryScale(runtime.runsDir); // { channels: 10000, seed: 42 }
 */
export async function directoryScale(runsDir: string): Promise<SimulatorScale | undefined> {
  // A run log that cannot be read (not a folder, no permission) leaves the scale unknown: the
  // run goes on as before, and says so itself when it cannot write its own record there.
  const records = await readRunLog(runsDir, RECORDS_SEARCHED).then(
    (log) => log.records,
    () => [],
  );
  const newest = records.find((record) => record.source === 'simulator');
  const scale = newest?.simulator;
  // A record edited by hand must not choose a scale the flags would refuse.
  if (!scale || !Number.isInteger(scale.channels) || !Number.isInteger(scale.seed) || scale.channels < 1 || scale.seed < 0) return undefined;
  return { channels: scale.channels, seed: scale.seed };
}

/** The settings to collect at, and the line to say about them on stderr (if any). */
export interface ScaleChoice {
  settings: SimulatorSettings;
  note?: string;
}

/** `10,000 channels, seed 42`. */
function scaleText(scale: SimulatorScale): string {
  return `${scale.channels.toLocaleString('en-US')} channels, seed ${scale.seed}`;
}

/**
 * The scale a simulated `run` or `backfill` collects at: without `--channels` or `--seed`, that of
 * the data directory's earlier simulated runs (so a run after the demo continues the demo's
 * population); with them, as asked, warning when that differs from the directory's. A flag not
 * given takes the directory's value too. Without a remembered scale, `parsed` stands unchanged.
 *
 * @example
 * const { settings, note } = chooseSimulatorScale(parsed, { channels: false, seed: false }, { channels: 10000, seed: 42 });
 * // settings.channels === 10000; note names the scale and how to choose another
 */
export function chooseSimulatorScale(
  parsed: SimulatorSettings,
  given: { channels: boolean; seed: boolean },
  remembered: SimulatorScale | undefined,
): ScaleChoice {
  if (!remembered) return { settings: parsed };
  const settings = { ...parsed, channels: given.channels ? parsed.channels : remembered.channels, seed: given.seed ? parsed.seed : remembered.seed };
  if (!given.channels && !given.seed) {
    return { settings, note: `simulator at ${scaleText(settings)}: the scale of this data directory's earlier runs (--channels/--seed to choose)\n` };
  }
  if (settings.channels === remembered.channels && settings.seed === remembered.seed) return { settings };
  return {
    settings,
    note:
      `warning: simulator at ${scaleText(settings)}, but this data directory's earlier runs used ${scaleText(remembered)}: ` +
      'its lake will then mix two populations (use another PIPELINE_DATA_DIR to keep them apart)\n',
  };
}

/**
 * {@link chooseSimulatorScale} for a data directory's run records, given the command's flag
 * values (`--channels`, `--seed`) and the settings parsed from them.
 *
 * @example
 * const { settings, note } = await simulatorScaleFor(runtime.runsDir, input.values, simulatorSettings(input.values, 'run'));
 * if (note) input.io.err(note);
 */
export async function simulatorScaleFor(runsDir: string, values: Record<string, unknown>, parsed: SimulatorSettings): Promise<ScaleChoice> {
  const given = { channels: values.channels !== undefined, seed: values.seed !== undefined };
  return chooseSimulatorScale(parsed, given, await directoryScale(runsDir));
}

/**
 * The scale to keep in a simulated run's record, so that later runs continue at it.
 *
 * @example
 * const record = { ...newRunRecord('backfill', 'simulator', new Date()), simulator: recordedScale(settings) };
 */
export function recordedScale(settings: SimulatorSettings): SimulatorScale {
  return { channels: settings.channels, seed: settings.seed };
}
