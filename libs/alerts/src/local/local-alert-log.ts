import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type AlertRecord, alertRecordSchema } from '@twitch-pipeline/schemas';
import { createFileDurably, writeFileDurably } from '@twitch-pipeline/storage';
import { keyDigest } from '../alert-keys';
import type { AlertClaim, AlertLedger } from '../ports';

const ALERT_FILE = /^[0-9a-f]{40}\.json$/;

/** Options of {@link LocalAlertLog.list}. */
export interface ListAlertsOptions {
  /** At most this many alerts, newest first. */
  limit?: number;
  /** Only alerts at or after this instant. */
  since?: Date;
}

/**
 * The field of a ledger file that says whether its alert is delivered; readers of the files
 * (the CLI's `alerts` view) leave out the pending ones.
 */
export const LOCAL_LEDGER_STATE = { field: 'estado', pending: 'pendente', delivered: 'entregue' } as const;

/** A ledger file: the alert, and whether it is delivered or claimed until a time (epoch ms). */
type LedgerEntry = AlertRecord & { estado?: 'pendente' | 'entregue'; reservado_ate?: number };

function parseEntry(text: string): LedgerEntry | undefined {
  try {
    const value = JSON.parse(text) as LedgerEntry;
    return alertRecordSchema.safeParse(value).success ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A file written before claims existed holds no state: it was delivered. */
function isDelivered(entry: LedgerEntry): boolean {
  return entry.estado !== 'pendente';
}

/**
 * The local alert ledger and log: one JSON file per alert key in a directory (by default
 * `<dataDir>/alerts`). A claim is written to a flushed temporary file and then hard-linked to its
 * final name: `link` fails when the name exists, so a claim is atomic and once-only across
 * processes, and a crash never leaves a half-written record behind a taken key. Marking it
 * delivered rewrites it durably (flushed temporary, rename). A pending claim whose lease ran out
 * is taken over by a plain rewrite: the data directory's lock keeps other writers out, and
 * claims within this process are coalesced by the evaluator. The delivered records are the log
 * the `alerts` command lists.
 *
 * @example
 * const log = new LocalAlertLog(join(config.dataDir, 'alerts'));
 * if ((await log.claim(alert, 30_000)) === 'claimed') await log.markDelivered(alert);
 * const recent = await log.list({ limit: 20 });
 */
export class LocalAlertLog implements AlertLedger {
  constructor(
    private readonly directory: string,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(alert: AlertRecord, leaseMs: number): Promise<AlertClaim> {
    const record = alertRecordSchema.parse(alert);
    await mkdir(this.directory, { recursive: true });
    const pending = `${JSON.stringify({ ...record, estado: 'pendente', reservado_ate: this.now() + leaseMs })}\n`;
    const path = this.pathOf(record.key);
    if (await createFileDurably(path, pending, this.temporary())) return 'claimed';
    const current = parseEntry(await readFile(path, 'utf8').catch(() => ''));
    if (current && isDelivered(current)) return 'delivered';
    if (current && (current.reservado_ate ?? 0) > this.now()) return 'claimed-elsewhere';
    // A claim whose deliverer crashed (lease over), or a damaged file: deliver again rather than lose it.
    await writeFileDurably(path, pending, this.temporary());
    return 'claimed';
  }

  async markDelivered(alert: AlertRecord): Promise<void> {
    const record = alertRecordSchema.parse(alert);
    await writeFileDurably(this.pathOf(record.key), `${JSON.stringify({ ...record, estado: 'entregue' })}\n`, this.temporary());
  }

  async release(key: string): Promise<void> {
    const current = parseEntry(await readFile(this.pathOf(key), 'utf8').catch(() => ''));
    if (!current || !isDelivered(current)) await rm(this.pathOf(key), { force: true });
  }

  /** Delivered alerts, newest first (by collection time, then key); pending claims are left out. */
  async list(options: ListAlertsOptions = {}): Promise<AlertRecord[]> {
    let names: string[];
    try {
      names = (await readdir(this.directory)).filter((name) => ALERT_FILE.test(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries = await Promise.all(names.map(async (name) => parseEntry(await readFile(join(this.directory, name), 'utf8').catch(() => ''))));
    const records = entries.filter((entry) => entry !== undefined && isDelivered(entry)).map((entry) => alertRecordSchema.parse(entry));
    const since = options.since?.getTime();
    return records
      .filter((record) => since === undefined || Date.parse(record.timestamp) >= since)
      .sort((a, b) => b.timestamp.localeCompare(a.timestamp) || a.key.localeCompare(b.key))
      .slice(0, options.limit ?? records.length);
  }

  private temporary(): string {
    return join(this.directory, `.${randomUUID()}.tmp`);
  }

  private pathOf(key: string): string {
    return join(this.directory, `${keyDigest(key)}.json`);
  }
}
