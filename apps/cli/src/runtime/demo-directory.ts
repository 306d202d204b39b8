import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LAKE_PREFIXES, parseLakeKey } from '@twitch-pipeline/schemas';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { CliError, EXIT } from '../cli/errors';
import { isDemoRun, readRunLog } from './runs-log';

/** Folders of the data directory the demo replaces when they hold only simulated data. */
const DEMO_FOLDERS = ['lake', 'queue', 'realtime', 'runs'];

/**
 * Left in the runs folder while a demo runs, removed once its record is written: a demo stopped
 * without a record (a double Ctrl-C, SIGKILL, a closed terminal) is told from a `backfill` or a
 * `run` stopped the same way, whose data the next demo must not take for its own.
 */
const IN_PROGRESS = '.demo-in-progress';

const ANOTHER_FOLDER = 'run the demo in another folder: PIPELINE_DATA_DIR=./demo-data npm start';

function refuse(message: string, hint = ANOTHER_FOLDER): never {
  throw new CliError(message, { exitCode: EXIT.usage, hint });
}

/**
 * Clears the data directory of an earlier demo, after checking it holds nothing else: no Twitch
 * data, no `backfill` or `run` record, and no snapshot that no record accounts for unless a demo
 * left it (its lock taken over as stale, or its in-progress mark). Returns whether it cleared.
 *
 * @example
 * if (await clearPreviousDemo(dataDir, runsDir, lock.tookOver?.command === 'start')) io.err('replaced the previous demo\n');
 */
export async function clearPreviousDemo(dataDir: string, runsDir: string, killedDemo: boolean): Promise<boolean> {
  const { records: runs, unreadable } = await readRunLog(runsDir, Number.POSITIVE_INFINITY);
  // An unreadable record might be of a Twitch collection: never replace what cannot be checked.
  if (unreadable.length > 0) {
    refuse(`${dataDir} has ${unreadable.length} unreadable run record(s) (${unreadable[0]!.file}: ${unreadable[0]!.reason}); the demo will not replace it`);
  }
  if (runs.some((run) => run.source === 'twitch')) refuse(`${dataDir} holds data collected from Twitch; the demo will not replace it`);
  // A simulated history made with `backfill` or `run` may have taken hours: only a demo is replaced.
  const kept = runs.filter((run) => !isDemoRun(run, runs.length));
  const startOver = `run the demo in another folder (PIPELINE_DATA_DIR=./demo-data npm start), or delete ${dataDir} to start over`;
  if (kept.length > 0) refuse(`${dataDir} holds simulated data of ${kept.length} run(s) of \`backfill\` or \`run\`; the demo replaces only an earlier demo`, startOver);
  const demoLeftovers = killedDemo || (await exists(join(runsDir, IN_PROGRESS)));
  const recorded = new Set(runs.flatMap((run) => run.snapshots));
  const bronze = await new LocalObjectStore(join(dataDir, 'lake')).list(LAKE_PREFIXES.bronze);
  const unaccounted = bronze.filter((object) => !recorded.has(parseLakeKey(object.key)?.snapshotId ?? ''));
  if (unaccounted.length > 0 && !demoLeftovers) {
    refuse(
      `${dataDir} holds ${unaccounted.length} snapshot(s) no run record accounts for (a \`backfill\` or \`run\` stopped before it recorded its run); the demo replaces only an earlier demo`,
      startOver,
    );
  }
  if (runs.length === 0 && !demoLeftovers) return false;
  for (const folder of DEMO_FOLDERS) await rm(join(dataDir, folder), { recursive: true, force: true });
  return true;
}

/**
 * Marks the runs folder while a demo runs; the returned function removes the mark once the
 * demo's record is written.
 *
 * @example
 * const done = await markDemoInProgress(runsDir);
 * await writeRunRecord(runsDir, record);
 * await done();
 */
export async function markDemoInProgress(runsDir: string): Promise<() => Promise<void>> {
  await mkdir(runsDir, { recursive: true });
  await writeFile(join(runsDir, IN_PROGRESS), `${new Date().toISOString()}\n`);
  return () => forgetDemoInProgress(runsDir);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Removes a stopped demo's in-progress mark: another writer is about to add snapshots of its own,
 * which no later demo may take for the stopped demo's leftovers.
 *
 * @example
 * await forgetDemoInProgress(runsDir);
 */
export async function forgetDemoInProgress(runsDir: string): Promise<void> {
  await rm(join(runsDir, IN_PROGRESS), { force: true }).catch((error: NodeJS.ErrnoException) => {
    // `runs` is no folder: no mark can be in it (the command's own writes there will say why).
    if (error.code !== 'ENOTDIR') throw error;
  });
}
