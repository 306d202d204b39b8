import { join } from 'node:path';
import type { DuckDbEngine } from '@twitch-pipeline/duckdb';
import { duckdbLiteralPath, type QuarantineRow, quarantineRowSchema, refusedCrawlQuarantineKey } from '@twitch-pipeline/schemas';
import type { ObjectStore } from '@twitch-pipeline/storage';

/**
 * Raised by an extract whose every record was quarantined when its slot already held a bronze
 * object with rows: that object and its quarantine object were left as they were, and the crawl's
 * rejected records were written under {@link EarlierSnapshotKeptError.rejectedKey}.
 *
 * @example
 * await extractSnapshot(input).catch((error) => {
 *   if (error instanceof EarlierSnapshotKeptError) console.error(error.keptKey, error.rejectedKey);
 *   throw error;
 * });
 */
export class EarlierSnapshotKeptError extends Error {
  constructor(
    snapshotId: string,
    problem: string,
    readonly keptKey: string,
    kept: string,
    readonly rejectedKey: string,
    /** Records of this crawl quarantined under {@link rejectedKey}: a run's counts include them. */
    readonly quarantined: number,
  ) {
    super(
      `snapshot ${snapshotId}: ${problem}; the earlier snapshot of this slot was kept (${keptKey}, ${kept}) with its quarantine object, ` +
        `and this crawl's rejected records are in ${rejectedKey}`,
    );
    this.name = 'EarlierSnapshotKeptError';
  }
}

/** A crawl that put no record in bronze, as {@link keepEarlierSnapshot} takes it. */
export interface EmptyCrawl {
  store: ObjectStore;
  engine: DuckDbEngine;
  /** The run's own temporary folder. */
  directory: string;
  dt: string;
  snapshotId: string;
  bronzeKey: string;
  /** Why nothing reached bronze (see `allQuarantinedProblem`). */
  problem: string;
  quarantined: readonly QuarantineRow[];
  /** When the crawl ended: names the object its rejected records are kept in. */
  refusedAt: Date;
}

/**
 * What an existing bronze object holds, or undefined when there is none or it has no rows.
 * The whole object is fetched and its footer's row count read: this runs only when a crawl put
 * nothing in bronze, so it costs a normal run nothing, and neither store reads a footer alone.
 * An object that cannot be read is kept too: its bytes are the silver step's to set aside.
 */
async function earlierContent(crawl: EmptyCrawl): Promise<string | undefined> {
  // A listing first: a role without s3:ListBucket is told 403, not 404, for a missing key.
  if (!(await crawl.store.exists(crawl.bronzeKey))) return undefined;
  const path = join(crawl.directory, 'earlier.parquet');
  await crawl.store.getFile(crawl.bronzeKey, path);
  try {
    const [{ n } = { n: 0 }] = await crawl.engine.all<{ n: number }>('SELECT count(*) AS n FROM read_parquet($path)', { path: duckdbLiteralPath(path) });
    return Number(n) > 0 ? `${Number(n).toLocaleString('en-US')} rows` : undefined;
  } catch (error) {
    // DuckDB names the file it read: the run's temporary copy, a path of this machine, not the object.
    return `unreadable: ${(error instanceof Error ? error.message : String(error)).replaceAll(path, crawl.bronzeKey)}`;
  }
}

/**
 * Protects a slot's good snapshot from a re-crawl that put none of its records in bronze (Twitch
 * changed a field's form, say). When the slot has no bronze object with rows it returns, and the
 * crawl lands as any other. Otherwise it writes the crawl's rejected records, with their reasons,
 * under {@link refusedCrawlQuarantineKey} and throws {@link EarlierSnapshotKeptError}, writing
 * neither the slot's bronze object nor its quarantine object.
 *
 * @example
 * const problem = allQuarantinedProblem(summary);
 * if (problem) await keepEarlierSnapshot({ store, engine, directory, dt, snapshotId, bronzeKey, problem, quarantined, refusedAt: new Date() });
 */
export async function keepEarlierSnapshot(crawl: EmptyCrawl): Promise<void> {
  const kept = await earlierContent(crawl);
  if (kept === undefined) return;
  const rejectedKey = refusedCrawlQuarantineKey(crawl.dt, crawl.snapshotId, crawl.refusedAt);
  const path = join(crawl.directory, 'refused.parquet');
  await crawl.engine.writeRowsToParquet(crawl.quarantined, quarantineRowSchema, path);
  await crawl.store.putFile(rejectedKey, path);
  throw new EarlierSnapshotKeptError(crawl.snapshotId, crawl.problem, crawl.bronzeKey, kept, rejectedKey, crawl.quarantined.length);
}
