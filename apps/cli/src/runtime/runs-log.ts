import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The steps of one cycle, in order. */
export const CYCLE_STEPS = ['extract', 'publish', 'consume', 'silver', 'gold'] as const;
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
}

/**
 * Writes a run record atomically (temporary file, then rename), named so that names sort by time.
 *
 * @example
 * await writeRunRecord('./data/runs', record);
 */
export async function writeRunRecord(runsDir: string, record: RunRecord): Promise<string> {
  await mkdir(runsDir, { recursive: true });
  const name = `${record.startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${record.kind}-${randomUUID().slice(0, 8)}.json`;
  const temporary = join(runsDir, `.tmp-${name}`);
  await writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`);
  await rename(temporary, join(runsDir, name));
  return join(runsDir, name);
}

/**
 * The most recent run records, newest first.
 *
 * @example
 * const [last] = await readRunRecords('./data/runs', 1);
 */
export async function readRunRecords(runsDir: string, limit = 10): Promise<RunRecord[]> {
  let names: string[];
  try {
    names = (await readdir(runsDir)).filter((name) => name.endsWith('.json') && !name.startsWith('.tmp-'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const newest = names.sort().reverse().slice(0, limit);
  return Promise.all(newest.map(async (name) => JSON.parse(await readFile(join(runsDir, name), 'utf8')) as RunRecord));
}
