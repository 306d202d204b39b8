import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AlertRecord, alertRecordSchema } from '@twitch-pipeline/schemas';
import { keyDigest } from '../alert-keys';
import type { AlertLedger } from '../ports';

const ALERT_FILE = /^[0-9a-f]{40}\.json$/;

/** Options of {@link LocalAlertLog.list}. */
export interface ListAlertsOptions {
  /** At most this many alerts, newest first. */
  limit?: number;
  /** Only alerts at or after this instant. */
  since?: Date;
}

/**
 * The local alert ledger and log: one JSON file per alert key in a directory (by default
 * `<dataDir>/alerts`). A record is written to a temporary file and then hard-linked to its final
 * name: `link` fails when the name exists, so acceptance is atomic and once-only across
 * processes, and a crash never leaves a half-written record behind a taken key. The files are
 * also the log the `alerts` command lists.
 *
 * @example
 * const log = new LocalAlertLog(join(config.dataDir, 'alerts'));
 * await log.recordIfAbsent(alert); // true the first time, false afterwards
 * const recent = await log.list({ limit: 20 });
 */
export class LocalAlertLog implements AlertLedger {
  constructor(private readonly directory: string) {}

  async recordIfAbsent(alert: AlertRecord): Promise<boolean> {
    const record = alertRecordSchema.parse(alert);
    await mkdir(this.directory, { recursive: true });
    const temporary = join(this.directory, `.${randomUUID()}.tmp`);
    await writeFile(temporary, `${JSON.stringify(record)}\n`);
    try {
      await link(temporary, this.pathOf(record.key));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await rm(temporary, { force: true });
    }
  }

  async release(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** Recorded alerts, newest first (by collection time, then key). */
  async list(options: ListAlertsOptions = {}): Promise<AlertRecord[]> {
    let names: string[];
    try {
      names = (await readdir(this.directory)).filter((name) => ALERT_FILE.test(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records = await Promise.all(
      names.map(async (name) => alertRecordSchema.parse(JSON.parse(await readFile(join(this.directory, name), 'utf8')))),
    );
    const since = options.since?.getTime();
    return records
      .filter((record) => since === undefined || Date.parse(record.timestamp) >= since)
      .sort((a, b) => b.timestamp.localeCompare(a.timestamp) || a.key.localeCompare(b.key))
      .slice(0, options.limit ?? records.length);
  }

  private pathOf(key: string): string {
    return join(this.directory, `${keyDigest(key)}.json`);
  }
}
