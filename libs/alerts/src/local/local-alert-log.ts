import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type AlertRecord, alertRecordSchema, describeIssues } from '@twitch-pipeline/schemas';
import { createFileDurably, writeFileDurably } from '@twitch-pipeline/storage';
import { keyDigest } from '../alert-keys';
import { LEDGER_STATE } from '../ledger-state';
import type { AlertClaim, AlertLedger } from '../ports';

const ALERT_FILE = /^[0-9a-f]{40}\.json$/;
/** Ledger files read side by side. */
const READ_AT_ONCE = 64;

/** Options of {@link LocalAlertLog.list}. */
export interface ListAlertsOptions {
  /** At most this many alerts, newest first. */
  limit?: number;
  /** Only alerts at or after this instant. */
  since?: Date;
}

/** A ledger file {@link LocalAlertLog.list} could not read back, and why. */
export interface UnreadableAlertRecord {
  /** The file's name in the log's directory. */
  file: string;
  reason: string;
}

/** The alerts log as listed: the delivered alerts, and the files that could not be read. */
export interface AlertLogListing {
  alerts: AlertRecord[];
  unreadable: UnreadableAlertRecord[];
}

const { attribute: STATE, pending: PENDING, delivered: DELIVERED } = LEDGER_STATE;

/** A ledger file: the alert, and whether it is delivered or claimed until a time (epoch ms). */
type LedgerEntry = AlertRecord & { [STATE]?: typeof PENDING | typeof DELIVERED; reservado_ate?: number };

/** The entry in a file's text, or why it is not one (torn by a crash, edited by hand). */
function parseEntry(text: string): LedgerEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return text.length === 0 ? 'empty file' : `not JSON (${(error as Error).message})`;
  }
  const parsed = alertRecordSchema.safeParse(value);
  return parsed.success ? (value as LedgerEntry) : `not an alert record (${describeIssues(parsed.error).join('; ')})`;
}

/**
 * The entry in a ledger file, why it is not one, or undefined when the file does not exist.
 * Other read errors (EIO, EMFILE) are thrown: the file may hold a delivered alert, and reading
 * it as absent or damaged would let a claim overwrite it or a release remove it.
 */
async function readEntry(path: string): Promise<LedgerEntry | string | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseEntry(text);
}

/** A file written before claims existed holds no state: it was delivered. */
function isDelivered(entry: LedgerEntry): boolean {
  return entry[STATE] !== PENDING;
}

/**
 * The local alert ledger and log: one JSON file per alert key in a directory (by default
 * `<dataDir>/alerts`). A claim is written to a flushed temporary file and then hard-linked to its
 * final name: `link` fails when the name exists, so a claim is atomic and once-only across
 * processes, and a crash never leaves a half-written record behind a taken key. Marking it
 * delivered rewrites it durably (flushed temporary, rename). A pending claim whose lease ran out
 * is taken over by a plain rewrite: the data directory's lock keeps other writers out, and
 * claims within this process are coalesced by the evaluator. The delivered records are the log
 * the `alerts` command lists; a file that cannot be read back is named with the reason, never
 * dropped in silence.
 *
 * @example
 * const log = new LocalAlertLog(join(config.dataDir, 'alerts'));
 * if ((await log.claim(alert, 30_000)) === 'claimed') await log.markDelivered(alert);
 * const { alerts, unreadable } = await log.list({ limit: 20 });
 */
export class LocalAlertLog implements AlertLedger {
  constructor(
    private readonly directory: string,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(alert: AlertRecord, leaseMs: number): Promise<AlertClaim> {
    const record = alertRecordSchema.parse(alert);
    await mkdir(this.directory, { recursive: true });
    const pending = `${JSON.stringify({ ...record, [STATE]: PENDING, reservado_ate: this.now() + leaseMs })}\n`;
    const path = this.pathOf(record.key);
    if (await createFileDurably(path, pending, this.temporary())) return 'claimed';
    const current = await readEntry(path);
    if (typeof current === 'object' && isDelivered(current)) return 'delivered';
    if (typeof current === 'object' && (current.reservado_ate ?? 0) > this.now()) return 'claimed-elsewhere';
    // A claim whose deliverer crashed (lease over), one released since the link failed, or a
    // damaged file: deliver again rather than lose it.
    await writeFileDurably(path, pending, this.temporary());
    return 'claimed';
  }

  async markDelivered(alert: AlertRecord): Promise<void> {
    const record = alertRecordSchema.parse(alert);
    await writeFileDurably(this.pathOf(record.key), `${JSON.stringify({ ...record, [STATE]: DELIVERED })}\n`, this.temporary());
  }

  async release(key: string): Promise<void> {
    const current = await readEntry(this.pathOf(key));
    if (typeof current !== 'object' || !isDelivered(current)) await rm(this.pathOf(key), { force: true });
  }

  /**
   * Delivered alerts, newest first (by collection time, then key); pending claims are left out.
   * Files that cannot be read back (empty, torn, not an alert, a failed read) are listed by name
   * with the reason, whatever the options: their time is unknown.
   */
  async list(options: ListAlertsOptions = {}): Promise<AlertLogListing> {
    const { delivered, unreadable } = await this.readAll();
    const records = delivered.map(({ entry }) => alertRecordSchema.parse(entry));
    const since = options.since?.getTime();
    const alerts = records
      .filter((record) => since === undefined || Date.parse(record.timestamp) >= since)
      .sort((a, b) => b.timestamp.localeCompare(a.timestamp) || a.key.localeCompare(b.key))
      .slice(0, options.limit ?? records.length);
    return { alerts, unreadable };
  }

  /**
   * The files of the delivered alerts, for a reader of the files themselves (the CLI's `alerts`
   * view), and those that cannot be read back, named with the reason as {@link list} names them.
   *
   * @example
   * const { files, unreadable } = await log.deliveredFiles(); // files: names in the log's directory
   */
  async deliveredFiles(): Promise<{ files: string[]; unreadable: UnreadableAlertRecord[] }> {
    const { delivered, unreadable } = await this.readAll();
    return { files: delivered.map(({ name }) => name), unreadable };
  }

  /** Every ledger file read: the delivered entries, and the files that cannot be read back. */
  private async readAll(): Promise<{ delivered: { name: string; entry: LedgerEntry }[]; unreadable: UnreadableAlertRecord[] }> {
    const read: { name: string; entry: LedgerEntry | string | undefined }[] = [];
    const names = await this.names();
    // A few files at a time: a long-kept log has more files than a process may hold open, and a
    // file the machine could not open (EMFILE) is the machine's failure, not a damaged record.
    for (let start = 0; start < names.length; start += READ_AT_ONCE) {
      const batch = names.slice(start, start + READ_AT_ONCE);
      const entries = await Promise.all(
        batch.map((name) =>
          readEntry(join(this.directory, name)).catch((error: NodeJS.ErrnoException) => {
            if (error.code === 'EMFILE' || error.code === 'ENFILE') throw error;
            return `cannot be read (${error.message})`;
          }),
        ),
      );
      for (const [index, name] of batch.entries()) read.push({ name, entry: entries[index] });
    }
    // A file gone since the listing (entry undefined) was a claim released: no alert to name.
    const unreadable = read.flatMap(({ name, entry }) => (typeof entry === 'string' ? [{ file: name, reason: entry }] : []));
    const delivered = read.flatMap(({ name, entry }) => (typeof entry === 'object' && isDelivered(entry) ? [{ name, entry }] : []));
    return { delivered, unreadable };
  }

  /** The ledger files' names, sorted; none when the directory was never created. */
  private async names(): Promise<string[]> {
    try {
      return (await readdir(this.directory)).filter((name) => ALERT_FILE.test(name)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  private temporary(): string {
    return join(this.directory, `.${randomUUID()}.tmp`);
  }

  private pathOf(key: string): string {
    return join(this.directory, `${keyDigest(key)}.json`);
  }
}
