import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirectoryDurably, writeFileDurably } from '@twitch-pipeline/storage';

/** The steps of one cycle, in order. */
const CYCLE_STEPS = ['extract', 'publish', 'consume', 'silver', 'gold'] as const;
export type CycleStep = (typeof CYCLE_STEPS)[number];

/** One cycle (or backfill) as recorded under `<dataDir>/runs`. */
export interface RunRecord {
  kind: 'cycle' | 'backfill';
  status: 'ok' | 'failed' | 'interrupted';
  source: 'twitch' | 'simulator';
  /** Snapshots this run collected (one for a cycle). */
  snapshots: string[];
  /** ISO-8601 UTC wall-clock times. */
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Milliseconds spent per step. */
  steps: Partial<Record<CycleStep, number>>;
  rows: {
    bronze: number;
    quarantinedAtExtract: number;
    silver: number;
    quarantinedAtSilver: number;
    gold: Record<string, number>;
  };
  published: number;
  consumed: number;
  deadLettered: number;
  error?: string;
  /**
   * The simulator scale of a simulated run, which later `run` and `backfill` continue at; absent
   * in records written before it was kept (their scale is unknown) and in Twitch runs.
   */
  simulator?: { channels: number; seed: number };
  /** Set by `start`: the demo's own run, which a later `start` may replace (no other run is). */
  demo?: true;
  /** {@link RUN_RECORD_VERSION} of the version that wrote it; absent in records written before the demo marked its runs. */
  recordVersion?: number;
}

/** The run record format this version writes: since version 2 the demo marks its own run (`demo`). */
export const RUN_RECORD_VERSION = 2;

/**
 * Whether a run is an earlier demo, which `start` may replace. Before version 2 the demo wrote
 * the record of a simulated backfill, and `start` replaced any simulated data; so a directory
 * whose only record is such a backfill, written then, is treated as that demo.
 *
 * @example
 * const replaceable = runs.every((run) => isDemoRun(run, runs.length));
 */
export function isDemoRun(run: RunRecord, recordsInDirectory: number): boolean {
  if (run.demo === true) return true;
  return run.recordVersion === undefined && recordsInDirectory === 1 && run.kind === 'backfill' && run.source === 'simulator';
}

/** A run record file that could not be read back, and why. */
export interface UnreadableRunRecord {
  file: string;
  reason: string;
}

/** The run log as read: the readable records, newest first, and the files skipped. */
export interface RunLog {
  records: RunRecord[];
  unreadable: UnreadableRunRecord[];
}

/**
 * Writes a run record durably and atomically (flushed temporary file, rename, flushed folder),
 * named so that names sort by time.
 *
 * @example
 * await writeRunRecord('./data/runs', record);
 */
export async function writeRunRecord(runsDir: string, record: RunRecord): Promise<string> {
  await makeDirectoryDurably(runsDir);
  const name = `${record.startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${record.kind}-${randomUUID().slice(0, 8)}.json`;
  await writeFileDurably(join(runsDir, name), `${JSON.stringify(record, null, 2)}\n`, join(runsDir, `.tmp-${name}`));
  return join(runsDir, name);
}

/** The record in a file's text, or why it is not one (a torn write, or edited by hand). */
function parseRunRecord(text: string): RunRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return text.length === 0 ? 'empty file' : `not JSON (${(error as Error).message})`;
  }
  const record = value as Partial<RunRecord> | null;
  const complete =
    typeof record?.startedAt === 'string' &&
    typeof record.status === 'string' &&
    typeof record.kind === 'string' &&
    Array.isArray(record.snapshots) &&
    typeof record.rows === 'object' &&
    record.rows !== null &&
    typeof record.rows.gold === 'object';
  return complete ? (record as RunRecord) : 'not a run record (fields missing)';
}

/**
 * The `limit` most recent readable run records, newest first, and the files newer than the last of
 * them that are not (empty, torn, not a record) with the reason, so that one bad file never hides
 * the rest.
 *
 * @example
 * const { records, unreadable } = await readRunLog('./data/runs', 10);
 */
export async function readRunLog(runsDir: string, limit = 10): Promise<RunLog> {
  let names: string[];
  try {
    names = (await readdir(runsDir)).filter((name) => name.endsWith('.json') && !name.startsWith('.tmp-'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], unreadable: [] };
    throw error;
  }
  const newestFirst = names.sort().reverse();
  const log: RunLog = { records: [], unreadable: [] };
  // The limit counts readable records: a torn newest file must not push a run out of view.
  for (let start = 0; start < newestFirst.length && log.records.length < limit; ) {
    const batch = newestFirst.slice(start, start + limit - log.records.length);
    start += batch.length;
    const read = (name: string) =>
      readFile(join(runsDir, name), 'utf8').then(parseRunRecord, (error: NodeJS.ErrnoException) => {
        // A folder named like a record (made by hand) is named, not fatal; any other failure is the machine's.
        if (error.code === 'EISDIR') return 'a folder, not a run record';
        throw error;
      });
    const parsed = await Promise.all(batch.map(async (name) => ({ name, record: await read(name) })));
    for (const { name, record } of parsed) {
      if (typeof record === 'string') log.unreadable.push({ file: name, reason: record });
      else log.records.push(record);
    }
  }
  return log;
}
