import { loadConfig, type PipelineConfig } from '@twitch-pipeline/schemas';
import { newRunRecord, runCycle } from '../../src/runtime/cycle';
import { type LocalRuntime, openLocalRuntime } from '../../src/runtime/local-runtime';
import type { CycleStep } from '../../src/runtime/runs-log';
import { openStreamsSource, type SimulatorSettings } from '../../src/runtime/source';
import { useTemporaryDataDirs } from './cli-process';

/**
 * A real local runtime in a fresh data directory (UTC), each removed after the file's tests.
 *
 * @example
 * const freshRuntime = useFreshRuntimes();
 * const { config, runtime } = await freshRuntime();
 */
export function useFreshRuntimes() {
  const temporaryDataDir = useTemporaryDataDirs();
  return async () => {
    const config = loadConfig({ PIPELINE_DATA_DIR: await temporaryDataDir(), PIPELINE_TIMEZONE: 'UTC' });
    const { runtime } = await openLocalRuntime(config);
    return { config, runtime };
  };
}

/**
 * One cycle on the simulator at `at`: its record, the end line of each step, and its error.
 * `stopAfterExtract` asks it to stop once bronze is written, as Ctrl-C during the crawl does.
 *
 * @example
 * const { record, lines, failure } = await cycleOnSimulator(config, runtime, settings, new Date('2026-11-29T23:00:00Z'));
 */
export async function cycleOnSimulator(config: PipelineConfig, runtime: LocalRuntime, settings: SimulatorSettings, at: Date, stopAfterExtract = false) {
  const source = await openStreamsSource(config, { ...settings, startTime: at }, {});
  const record = newRunRecord('cycle', source.kind, new Date());
  const stop = { stopping: false };
  const lines: string[] = [];
  const onStep = (step: CycleStep, phase: 'start' | 'end', detail: string) => {
    if (phase === 'end') lines.push(`${step} ${detail}`);
    if (step === 'extract' && phase === 'end' && stopAfterExtract) stop.stopping = true;
  };
  const failure = await runCycle({ runtime, source, config, collectedAt: at, stop, onStep }, record).then(
    () => undefined,
    (error: Error) => error,
  );
  await source.close();
  return { record, lines, failure };
}
