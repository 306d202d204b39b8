import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurably } from '@twitch-pipeline/storage';
import { canonicalTimestamp, categoryKey, keyDigest } from '../alert-keys';
import type { CategoryAudiencePartial, CategoryAudienceStore } from '../ports';

const PART_FILE = /^[0-9a-f]+\.json$/;

function folderOf(timestamp: string): string {
  // Compact and still sortable: 2026-11-29T21:30:00.000Z -> 20261129T213000.000Z
  return canonicalTimestamp(timestamp).replace(/[-:]/g, '');
}

function timestampOf(folder: string): string {
  return folder.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})/, '$1-$2-$3T$4:$5:$6');
}

/**
 * Category audience parts on the local disk: `<dir>/<category digest>/<collection time>/<part>.json`.
 * A part is written to a flushed temporary file and renamed over its key (the folder flushed
 * after), so rewriting it is atomic, durable and idempotent. Collection times older than the retention (48 hours by default, like the
 * real-time items' TTL) are deleted as new parts arrive.
 *
 * @example
 * const audience = new LocalCategoryAudience(join(config.dataDir, 'alerts', 'audience'));
 * await audience.totalAt('Just Chatting', '2026-11-29T21:30:00Z');
 */
export class LocalCategoryAudience implements CategoryAudienceStore {
  constructor(
    private readonly directory: string,
    private readonly retentionHours = 48,
  ) {}

  async recordPartial(partial: CategoryAudiencePartial): Promise<void> {
    const folder = join(this.categoryFolder(partial.category), folderOf(partial.timestamp));
    await mkdir(folder, { recursive: true });
    const temporary = join(folder, `.${randomUUID()}.tmp`);
    await writeFileDurably(join(folder, `${partial.partialKey}.json`), JSON.stringify({ espectadores: partial.espectadores }), temporary);
    await this.removeExpired(partial.category, partial.timestamp);
  }

  async totalAt(category: string, timestamp: string): Promise<number> {
    const folder = join(this.categoryFolder(category), folderOf(timestamp));
    const names = await readdirOrEmpty(folder);
    let total = 0;
    for (const name of names.filter((entry) => PART_FILE.test(entry))) {
      total += (JSON.parse(await readFile(join(folder, name), 'utf8')) as { espectadores: number }).espectadores;
    }
    return total;
  }

  async previousTotal(category: string, beforeTimestamp: string): Promise<{ timestamp: string; total: number } | undefined> {
    const current = folderOf(beforeTimestamp);
    const earlier = (await readdirOrEmpty(this.categoryFolder(category))).filter((name) => name < current).sort();
    const newest = earlier.at(-1);
    if (newest === undefined) return undefined;
    const timestamp = timestampOf(newest);
    return { timestamp, total: await this.totalAt(category, timestamp) };
  }

  private async removeExpired(category: string, timestamp: string): Promise<void> {
    const cutoff = folderOf(new Date(Date.parse(canonicalTimestamp(timestamp)) - this.retentionHours * 3_600_000).toISOString());
    const root = this.categoryFolder(category);
    for (const name of await readdirOrEmpty(root)) {
      if (name < cutoff) await rm(join(root, name), { recursive: true, force: true });
    }
  }

  private categoryFolder(category: string): string {
    return join(this.directory, keyDigest(categoryKey(category)));
  }
}

async function readdirOrEmpty(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
