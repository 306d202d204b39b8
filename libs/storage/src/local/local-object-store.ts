import { randomBytes, randomUUID } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { assertValidKey, type ListOptions, type ObjectInfo, ObjectNotFoundError, type ObjectStore } from '../object-store';
import { makeDirectoryDurably, publishFile, syncFile, writeSyncedFile } from './durable-files';

/** Prefix of in-progress files; never listed, swept by {@link LocalObjectStore.removeStaleTemporaryFiles}. */
const TEMPORARY_PREFIX = '.tmp-';

/**
 * Prefix of the folder {@link LocalObjectStore.deleteIfUnchanged} moves an object into, named by
 * the version to delete and holding the object under its own name: all a sweep needs to finish
 * the work of a process killed midway (delete it, or put it back where no write landed since).
 * Under a random name, the sweep took a rewritten object for a leftover and deleted it.
 */
const ASIDE_PREFIX = `${TEMPORARY_PREFIX}aside-`;
const ASIDE_FOLDER = /^\.tmp-aside-(\d+-\d+)-[0-9a-f]+$/;

/**
 * A path that is not there, or runs through a file: a stray file named like a partition folder
 * (`silver/streams/dt=2026-12-07`) holds no object under that prefix, as in S3, where an object
 * `a/b` is not listed under `a/b/` and `a/b/c` does not exist.
 */
function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** A folder {@link LocalObjectStore.listReadable} could not list, and why. */
export interface UnreadableFolder {
  /** The folder's key, with a trailing `/`. */
  key: string;
  reason: string;
}

/** Errors that make one folder unreadable without saying anything of the others. */
const UNREADABLE_CODES = new Set(['EACCES', 'EPERM', 'EIO']);

/** A file's version: its inode and time in nanoseconds, which every atomic write (a new file renamed over the old) changes, and a rename keeps. */
const etagOf = (info: BigIntStats) => `${info.ino}-${info.mtimeNs}`;
const ETAG = /^\d+-\d+$/;

/**
 * Ends a conditional delete whose object was moved into `folder` (see `ASIDE_PREFIX`): the object
 * is deleted if it is the version `etag` names, else put back, unless a write landed meanwhile,
 * which stays. The same steps whether the process that moved it goes on, or a sweep after it was
 * killed. Returns whether the object was deleted.
 */
async function settleAside(folder: string, etag: string): Promise<boolean> {
  let deleted = false;
  for (const name of await readdir(folder)) {
    const file = join(folder, name);
    const original = join(dirname(folder), name);
    if (etagOf(await stat(file, { bigint: true })) === etag) {
      await rm(file, { force: true });
      deleted = true;
    } else if (await stat(original).then(() => true, (error: unknown) => (isMissing(error) ? false : Promise.reject(error)))) {
      await rm(file, { force: true });
    } else {
      await rename(file, original);
    }
  }
  await rm(folder, { recursive: true, force: true });
  return deleted;
}

/**
 * The object store as a directory: each key is a file path under the root. Writes go to a
 * temporary file in the target directory, flushed to the disk, and published by `rename`,
 * which is atomic on one filesystem; the directory is flushed after the rename. A crash or a
 * power loss never leaves an empty or partial object under its key.
 *
 * @example
 * const store = new LocalObjectStore('./data');
 * await store.put('raw/streams/dt=2026-11-29/x.parquet', bytes);
 */
export class LocalObjectStore implements ObjectStore {
  readonly root: string;
  readonly location: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.location = this.root;
  }

  /** The file behind a key; DuckDB may read it in place. */
  pathOf(key: string): string {
    assertValidKey(key);
    return join(this.root, ...key.split('/'));
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    await this.publish(key, (temporary) => writeSyncedFile(temporary, body));
  }

  async putFile(key: string, path: string): Promise<void> {
    await this.publish(key, async (temporary) => {
      await copyFile(path, temporary);
      await syncFile(temporary);
    });
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.pathOf(key)));
    } catch (error) {
      if (isMissing(error)) throw new ObjectNotFoundError(key);
      throw error;
    }
  }

  async getFile(key: string, path: string): Promise<void> {
    const temporary = join(dirname(path), `${TEMPORARY_PREFIX}${randomUUID()}`);
    await mkdir(dirname(path), { recursive: true });
    try {
      await copyFile(this.pathOf(key), temporary);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      if (isMissing(error)) throw new ObjectNotFoundError(key);
      throw error;
    }
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ObjectInfo[]> {
    const { startAfter } = options;
    const { objects } = await this.walk(prefix, false, startAfter);
    return startAfter === undefined ? objects : objects.filter((object) => object.key > startAfter);
  }

  /**
   * Lists like {@link list}, but a folder this user may not read (its permissions, or a disk
   * error) is returned in `unreadable`, as its key with a trailing `/` and the error's code,
   * instead of failing the listing: what reads the lake can answer from the rest and name it.
   * The pipeline's steps use `list`, which fails there: a step must not take a partial listing
   * for a whole one.
   *
   * @example
   * const { objects, unreadable } = await store.listReadable('silver/streams/');
   * // unreadable: [{ key: 'silver/streams/dt=2026-11-30/', reason: 'cannot list this folder: EACCES' }]
   */
  async listReadable(prefix: string): Promise<{ objects: ObjectInfo[]; unreadable: UnreadableFolder[] }> {
    return this.walk(prefix, true);
  }

  /** Lists the objects under `prefix`; folders all of whose keys sort before `startAfter` are not entered (a year of dates when a run wants two). */
  private async walk(prefix: string, tolerant: boolean, startAfter?: string): Promise<{ objects: ObjectInfo[]; unreadable: UnreadableFolder[] }> {
    const found: ObjectInfo[] = [];
    const unreadable: UnreadableFolder[] = [];
    const refused = (directory: string, error: unknown): boolean => {
      const code = (error as NodeJS.ErrnoException).code;
      const folder = relative(this.root, directory).split(sep).join('/');
      // The lake's own folder unreadable is no partial answer: nothing of it can be read.
      if (!tolerant || !code || !UNREADABLE_CODES.has(code) || folder === '') return false;
      const key = `${folder}/`;
      const relevant = key.startsWith(prefix) || prefix.startsWith(key);
      if (relevant && !unreadable.some((known) => known.key === key)) unreadable.push({ key, reason: `cannot list this folder: ${code}` });
      return true;
    };
    const walk = async (directory: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(directory, { withFileTypes: true });
      } catch (error) {
        if (isMissing(error) || refused(directory, error)) return;
        throw error;
      }
      const files: { path: string; key: string }[] = [];
      for (const entry of entries) {
        if (entry.name.startsWith(TEMPORARY_PREFIX)) continue;
        const path = join(directory, entry.name);
        const key = relative(this.root, path).split(sep).join('/');
        if (entry.isDirectory()) {
          // Every key in it starts with its own: when that sorts before startAfter, not starting it, so do they all.
          const folder = `${key}/`;
          if (startAfter === undefined || folder > startAfter || startAfter.startsWith(folder)) await walk(path);
        } else if (entry.isFile() && key.startsWith(prefix)) {
          files.push({ path, key });
        }
      }
      // A folder's files are stat'ed together: one at a time, a year of lake took a second to list.
      const infos = await Promise.all(
        files.map(({ path }) =>
          // Deleted or moved aside by another process since the directory was read: not there any more.
          // A folder that may be listed but not entered (read without execute) refuses the stat.
          stat(path, { bigint: true }).catch((error: unknown) => {
            if (isMissing(error) || refused(directory, error)) return undefined;
            throw error;
          }),
        ),
      );
      files.forEach(({ key }, index) => {
        const info = infos[index];
        if (info) found.push({ key, size: Number(info.size), lastModified: new Date(Number(info.mtimeMs)), etag: etagOf(info) });
      });
    };
    // Walk only the deepest directory the prefix names, not the whole lake.
    const directoryPart = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    await walk(directoryPart ? join(this.root, ...directoryPart.split('/')) : this.root);
    return { objects: found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)), unreadable };
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /**
   * Moves the file aside (one atomic rename, into a folder that names the version to delete) and
   * deletes it if it is the version listed; else puts it back, unless a write landed meanwhile,
   * which stays. A process killed midway leaves the folder, which the sweep settles the same way.
   */
  async deleteIfUnchanged(object: ObjectInfo): Promise<boolean> {
    // Not a version this store gives (another store's tag): the file there cannot be it.
    if (!ETAG.test(object.etag)) return false;
    const path = this.pathOf(object.key);
    const aside = join(dirname(path), `${ASIDE_PREFIX}${object.etag}-${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(aside);
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
    try {
      await rename(path, join(aside, basename(path)));
    } catch (error) {
      await rm(aside, { recursive: true, force: true });
      if (isMissing(error)) return false;
      throw error;
    }
    return settleAside(aside, object.etag);
  }

  /**
   * Deletes temporary files a killed process left behind (older than `olderThanMs`), and ends the
   * conditional deletes it left midway (see {@link deleteIfUnchanged}): an object moved aside is
   * deleted if it was the version to delete, else put back where no write landed since.
   * Returns how many were removed or ended. A folder it cannot read is left as it is: tidying up must not
   * stop a run, and the steps that need that folder name it when they list it.
   */
  async removeStaleTemporaryFiles(olderThanMs = 60_000): Promise<number> {
    let removed = 0;
    const cutoff = Date.now() - olderThanMs;
    const walk = async (directory: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(directory, { withFileTypes: true });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (isMissing(error) || code === 'EACCES' || code === 'EPERM') return;
        throw error;
      }
      for (const entry of entries) {
        const path = join(directory, entry.name);
        const aside = entry.isDirectory() ? ASIDE_FOLDER.exec(entry.name) : null;
        if (aside) {
          if ((await stat(path)).mtimeMs >= cutoff) continue;
          await settleAside(path, aside[1]!);
          removed += 1;
        } else if (entry.isDirectory()) await walk(path);
        else if (entry.name.startsWith(TEMPORARY_PREFIX) && (await stat(path)).mtimeMs < cutoff) {
          await rm(path, { force: true });
          removed += 1;
        }
      }
    };
    await walk(this.root);
    return removed;
  }

  private async publish(key: string, write: (temporary: string) => Promise<void>): Promise<void> {
    const target = this.pathOf(key);
    const temporary = join(dirname(target), `${TEMPORARY_PREFIX}${randomUUID()}`);
    await makeDirectoryDurably(dirname(target));
    try {
      await write(temporary);
      await publishFile(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}
