import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurably } from '@twitch-pipeline/storage';
import { canonicalTimestamp, categoryKey, keyDigest } from '../alert-keys';
import type { CategoryAudiencePartial, CategoryAudienceStore } from '../ports';

const PART_FILE = /^[0-9a-f]+\.json$/;
const EVALUATED_FILE = /^(\d{8}T\d{6}\.\d{3}Z)\.json$/;
const TEMPORARY_FILE = /^\.[0-9a-f-]{36}\.tmp$/;

/** Beside the category folders, named by hex digests, so the two never meet. */
const EVALUATED_FOLDER = 'evaluated';

function folderOf(timestamp: string): string {
  // Compact and still sortable: 2026-11-29T21:30:00.000Z -> 20261129T213000.000Z
  return canonicalTimestamp(timestamp).replace(/[-:]/g, '');
}

function timestampOf(folder: string): string {
  return folder.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})/, '$1-$2-$3T$4:$5:$6');
}

/**
 * Category audience parts on the local disk: `<dir>/<category digest>/<collection time>/<part>.json`,
 * and the collection times evaluated: `<dir>/evaluated/<collection time>.json`, the categories
 * watched then.
 * A part is written to a flushed temporary file and renamed over its key (the folder flushed
 * after), so rewriting it is atomic, durable and idempotent. Collection times older than the retention (48 hours by default, like the
 * real-time items' TTL) are deleted as new parts arrive.
 *
 * A collection time's parts are read from disk once per instance and kept beside the files as
 * they are written, so a total costs no file reads: the consumer asks for the current and the
 * previous total on every message, and reading every part each time made a snapshot's cost grow
 * with the square of its messages. That holds because one process writes a data directory at a
 * time (the CLI's data lock) and every write of that process goes through its one instance.
 *
 * @example
 * const audience = new LocalCategoryAudience(join(config.dataDir, 'alerts', 'audience'));
 * await audience.totalAt('Just Chatting', '2026-11-29T21:30:00Z');
 */
export class LocalCategoryAudience implements CategoryAudienceStore {
  /** The parts of each collection-time folder read so far: part file name → viewers. */
  private readonly parts = new Map<string, Promise<Map<string, number>>>();
  /** The evaluated collection times (folder names) and the category keys watched at each, read on first use. */
  private evaluations?: Promise<Map<string, Set<string>>>;
  /**
   * The marks being written, one after another: the messages of one snapshot are consumed
   * together, and two marks of one time computed side by side would each leave out the other's
   * categories, the last rename winning.
   */
  private markWrites: Promise<void> = Promise.resolve();

  constructor(
    private readonly directory: string,
    private readonly retentionHours = 48,
  ) {}

  async recordPartial(partial: CategoryAudiencePartial): Promise<void> {
    const folder = join(this.categoryFolder(partial.category), folderOf(partial.timestamp));
    await mkdir(folder, { recursive: true });
    const temporary = join(folder, `.${randomUUID()}.tmp`);
    const name = `${partial.partialKey}.json`;
    await writeFileDurably(join(folder, name), JSON.stringify({ espectadores: partial.espectadores }), temporary);
    (await this.partsIn(folder)).set(name, partial.espectadores);
    await this.removeExpired(partial.category, partial.timestamp);
  }

  recordEvaluated(timestamp: string, categories: readonly string[]): Promise<void> {
    const written = this.markWrites.then(() => this.writeEvaluated(timestamp, categories));
    this.markWrites = written.catch(() => {});
    return written;
  }

  private async writeEvaluated(timestamp: string, categories: readonly string[]): Promise<void> {
    const evaluations = await this.evaluated();
    const folder = folderOf(timestamp);
    const watched = new Set([...(evaluations.get(folder) ?? []), ...categories.map(categoryKey)]);
    if (watched.size === evaluations.get(folder)?.size) return;
    const directory = join(this.directory, EVALUATED_FOLDER);
    await mkdir(directory, { recursive: true });
    const file = join(directory, `${folder}.json`);
    await writeFileDurably(file, JSON.stringify({ categorias: [...watched].sort() }), join(directory, `.${randomUUID()}.tmp`));
    evaluations.set(folder, watched);
    const cutoff = this.cutoffOf(timestamp);
    for (const name of [...evaluations.keys()].filter((name) => name < cutoff)) {
      evaluations.delete(name);
      await rm(join(directory, `${name}.json`), { force: true });
    }
  }

  async totalAt(category: string, timestamp: string): Promise<number> {
    let total = 0;
    for (const espectadores of (await this.partsIn(join(this.categoryFolder(category), folderOf(timestamp)))).values()) total += espectadores;
    return total;
  }

  async previousTotal(category: string, beforeTimestamp: string): Promise<{ timestamp: string; total: number } | undefined> {
    const current = folderOf(beforeTimestamp);
    const evaluations = await this.evaluated();
    const newest = [...evaluations.keys()].filter((name) => name < current).sort().at(-1);
    if (newest === undefined || !evaluations.get(newest)?.has(categoryKey(category))) return undefined;
    const timestamp = timestampOf(newest);
    return { timestamp, total: await this.totalAt(category, timestamp) };
  }

  /** The evaluated collection times, read from disk on first use. */
  private evaluated(): Promise<Map<string, Set<string>>> {
    if (!this.evaluations) {
      const evaluations = readEvaluations(join(this.directory, EVALUATED_FOLDER));
      this.evaluations = evaluations;
      // A failed read is not kept: the next call reads again.
      evaluations.catch(() => {
        if (this.evaluations === evaluations) this.evaluations = undefined;
      });
    }
    return this.evaluations;
  }

  private cutoffOf(timestamp: string): string {
    return folderOf(new Date(Date.parse(canonicalTimestamp(timestamp)) - this.retentionHours * 3_600_000).toISOString());
  }

  /** The parts of one collection time, read from disk on first use. */
  private partsIn(folder: string): Promise<Map<string, number>> {
    let parts = this.parts.get(folder);
    if (!parts) {
      parts = readParts(folder);
      this.parts.set(folder, parts);
      // A failed read is not kept: the next call reads again.
      parts.catch(() => this.parts.delete(folder));
    }
    return parts;
  }

  private async removeExpired(category: string, timestamp: string): Promise<void> {
    const cutoff = this.cutoffOf(timestamp);
    const root = this.categoryFolder(category);
    for (const name of await readdirOrEmpty(root)) {
      if (name >= cutoff) continue;
      this.parts.delete(join(root, name));
      await rm(join(root, name), { recursive: true, force: true });
    }
  }

  private categoryFolder(category: string): string {
    return join(this.directory, keyDigest(categoryKey(category)));
  }
}

async function readParts(folder: string): Promise<Map<string, number>> {
  const parts = new Map<string, number>();
  for (const name of (await readdirOrEmpty(folder)).filter((entry) => PART_FILE.test(entry))) {
    parts.set(name, (JSON.parse(await readFile(join(folder, name), 'utf8')) as { espectadores: number }).espectadores);
  }
  return parts;
}

/**
 * The evaluated collection times on disk. A mark that cannot be read (damaged outside the
 * pipeline: marks are renamed into place whole) counts as a time whose watched categories are
 * unknown, so it gives no baseline: one unreadable file costs at most the next snapshot's category
 * alerts, instead of failing every message. Marking that time again rewrites it.
 */
async function readEvaluations(directory: string): Promise<Map<string, Set<string>>> {
  const evaluations = new Map<string, Set<string>>();
  for (const name of await readdirOrEmpty(directory)) {
    // A mark's temporary file that a killed writer left. This runs before the instance writes any
    // mark, and one process writes a data directory at a time, so none is a write under way.
    if (TEMPORARY_FILE.test(name)) await rm(join(directory, name), { force: true });
    const folder = EVALUATED_FILE.exec(name)?.[1];
    if (!folder) continue;
    evaluations.set(folder, new Set(watchedIn(await readFile(join(directory, name), 'utf8'))));
  }
  return evaluations;
}

function watchedIn(text: string): string[] {
  try {
    const { categorias } = JSON.parse(text) as { categorias?: unknown };
    return Array.isArray(categorias) ? categorias.filter((category): category is string => typeof category === 'string') : [];
  } catch {
    return [];
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
