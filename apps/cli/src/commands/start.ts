import { join } from 'node:path';
import type { Exposure } from '@twitch-pipeline/helix-simulator';
import type { PipelineConfig } from '@twitch-pipeline/schemas';
import { type Command, type CommandInput, PROGRAM } from '../cli/command';
import { EXIT } from '../cli/errors';
import { formatDuration } from '../cli/duration';
import { toJson } from '../cli/io';
import { failureHint } from '../cli/report-error';
import { shellWord } from '../cli/shell-word';
import { terminalSafeLines } from '../cli/table';
import { StopSignal } from '../cli/signals';
import { LakeSession } from '../lake/lake-session';
import { backfillSlots, runBackfill } from '../runtime/backfill';
import { backgroundGroundTruth } from '../runtime/background-ground-truth';
import { plural } from '../runtime/cycle-messages';
import { LOCK_OPTIONS, lockDataDirectory } from '../runtime/data-lock';
import { clearPreviousDemo, markDemoInProgress } from '../runtime/demo-directory';
import { spareCores } from '../runtime/extract-pool';
import { lowMemoryNote } from '../runtime/memory-note';
import { accuracyWindow, demoSummary, formatDemoSummary } from '../runtime/demo-summary';
import { localRuntime, openLocalRuntime } from '../runtime/local-runtime';
import { simulatorOptions, simulatorSettings } from '../runtime/run-options';
import { writeRunRecord } from '../runtime/runs-log';
import { recordedScale } from '../runtime/simulator-scale';
import { checkSimulatedLanguages, hasTwitchCredentials, startSimulator } from '../runtime/source';
import { BACKFILL_REQUESTS_PER_MINUTE } from './backfill';
import { runCommand } from './run';

/** Hours of simulated history the demo collects. */
const DEMO_HOURS = 24;
/**
 * Channels live on average in the demo, platform-wide. Measured on a 2-core machine: 48 snapshots
 * of pt, en and es at this scale (about 5,700 live streams a snapshot) go through the whole
 * pipeline in well under a minute. Twitch itself has about 95,000; `--channels` changes it.
 */
const DEMO_CHANNELS = 10_000;

/** `start`: the demo on the embedded default, or the scheduled pipeline when Twitch credentials are set. */
export const startCommand: Command = {
  name: 'start',
  usage: ['start [--wait] [--channels N] [--seed N]'],
  details:
    'Without TWITCH_CLIENT_ID/TWITCH_CLIENT_SECRET: starts the simulator, backfills 24 hours of 30-minute snapshots\n' +
    'for PIPELINE_LANGUAGES (pt,en,es), sends the latest through the real-time path, builds silver and gold, and\n' +
    'prints top categories and channels, the game/non-game share, rows per layer and how far gold is from the\n' +
    "simulator's ground truth. A previous demo in the data directory is replaced; a backfill, a run or Twitch data never is.\n" +
    'With credentials: collects from Twitch every PIPELINE_INTERVAL_MINUTES (same as `run --every 30m`).',
  options: { ...LOCK_OPTIONS, ...simulatorOptions(DEMO_CHANNELS) },
  examples: ['npm start', `${PROGRAM} start --channels 50000`, 'PIPELINE_DATA_DIR=./demo-data npm start'],
  async run(input) {
    const config = input.config();
    if (hasTwitchCredentials(config)) {
      input.io.err(`Twitch credentials found: collecting real data every ${config.intervalMinutes} minutes into ${config.dataDir}\n`);
      return runCommand.run({ ...input, values: { every: `${config.intervalMinutes}m`, wait: input.values.wait } });
    }
    const languagesNote = await checkSimulatedLanguages(config);
    if (languagesNote) input.io.err(languagesNote);
    const lock = await lockDataDirectory(input, config.dataDir, 'start');
    try {
      return await runDemo(input, config, lock.tookOver?.command === 'start');
    } finally {
      await lock.release();
    }
  },
};

/** The demo, once the data directory is locked. */
async function runDemo(input: CommandInput, config: PipelineConfig, afterKilledDemo: boolean): Promise<number> {
  const startedAt = Date.now();
  const settings = simulatorSettings(input.values, 'start', { channels: DEMO_CHANNELS, requestsPerMinute: BACKFILL_REQUESTS_PER_MINUTE });
  const paths = localRuntime(config);
  if (await clearPreviousDemo(paths.dataDir, paths.runsDir, afterKilledDemo)) input.io.err(`replaced the previous simulated demo in ${paths.dataDir}\n`);
  const { runtime } = await openLocalRuntime(config);
  const recorded = await markDemoInProgress(runtime.runsDir);
  const end = new Date();
  const slots = backfillSlots(end, DEMO_HOURS, config.intervalMinutes);
  input.io.err(
    `No Twitch credentials: running the demo on the built-in Helix simulator.\n` +
      `Scale: ${settings.channels.toLocaleString('en-US')} channels live on average platform-wide (Twitch: ~95,000), seed ${settings.seed}; ` +
      `${plural(slots.length, 'snapshot')} every ${config.intervalMinutes} min over ${DEMO_HOURS} simulated hours for ${config.languages.join(', ')}.\n`,
  );
  const memoryNote = lowMemoryNote(settings.channels);
  if (memoryNote) input.io.err(memoryNote);
  const truthQuery = {
    ...(await accuracyWindow(slots, config.intervalMinutes, config.timeZone)),
    ...(config.languages.includes('all') ? {} : { languages: config.languages }),
  };
  // Nothing may fail between the simulator's start and the try that closes it: its listening
  // server would keep the process alive after the error was reported.
  const simulator = await startSimulator({ ...settings, startTime: slots[0]! });
  const stop = new StopSignal((signal) => input.io.err(`\n${signal}: finishing the current step, then stopping (again to quit at once)\n`));
  let truth: Promise<Exposure> | undefined;
  try {
    const record = await runBackfill({
      runtime,
      simulator,
      config,
      end,
      hours: DEMO_HOURS,
      realtime: 'latest',
      io: input.io,
      stop,
      workers: { count: spareCores(), settings },
      // The ground truth takes a core for about a second: it runs while silver and gold do.
      onExtracted: () => {
        truth = backgroundGroundTruth(settings, truthQuery);
        truth.catch(() => {});
      },
    });
    if (record.status !== 'ok') {
      // Named before the record is written: on a full disk that write fails too, and the reason
      // the demo stopped must not be lost behind it.
      input.io.err(`demo ${record.status}${record.error ? `: ${terminalSafeLines(record.error)}` : ''}\n${failureHint(record.error) ?? ''}`);
      // The mark stays: a stopped demo's record may not name every snapshot its lanes wrote.
      await writeRunRecord(runtime.runsDir, { ...record, demo: true, simulator: recordedScale(settings) }).catch((error: Error) => {
        input.io.err(`  run record not written: ${error.message}\n`);
      });
      return record.status === 'interrupted' ? EXIT.interrupted : EXIT.failure;
    }
    await writeRunRecord(runtime.runsDir, { ...record, demo: true, simulator: recordedScale(settings) });
    await recorded();
    const { watchHours } = await (truth ?? backgroundGroundTruth(settings, truthQuery));
    const session = await LakeSession.open(config.dataDir, { warn: (text) => input.io.err(text) });
    const summary = await demoSummary(session, record, watchHours).finally(() => session.close());
    const took = Date.now() - startedAt;
    if (input.json) {
      input.io.out(toJson({ ...summary, channels: settings.channels, seed: settings.seed, snapshots: slots.length, durationMs: took }));
      return EXIT.ok;
    }
    // Set for this command alone, the folder must be named again, or the next commands read ./data.
    const run = `${input.env.PIPELINE_DATA_DIR ? `PIPELINE_DATA_DIR=${shellWord(runtime.dataDir)} ` : ''}npm run twitch-pipeline --`;
    input.io.out(
      `\n${formatDemoSummary(summary)}\nDone in ${formatDuration(took)}. Data is in ${runtime.dataDir}. Next:\n` +
        `  ${run} query --list                       views and saved queries\n` +
        `  ${run} query "SELECT * FROM gold_categorias_diario ORDER BY horas_assistidas DESC LIMIT 10"\n` +
        `  ${run} query --saved top_streamers_by_average_viewers\n` +
        `  ${run} dashboard                          writes ${join(runtime.dataDir, 'dashboard.html')} (or --serve)\n` +
        `  ${run} status                             recent runs, DLQ depth, freshness\n` +
        `  ${run} run --every 30m                    keep collecting (set TWITCH_CLIENT_ID/SECRET for real Twitch data)\n`,
    );
    return EXIT.ok;
  } finally {
    stop.dispose();
    await simulator.close();
  }
}
