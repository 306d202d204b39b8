import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LocalObjectStore, type ObjectStore } from '@twitch-pipeline/storage';

const DOWNLOAD_CONCURRENCY = 8;

/**
 * A scratch folder where a step reads lake objects as local files and writes its outputs
 * before publishing them. A local lake is read in place; other stores (S3) are downloaded,
 * since DuckDB runs offline on local files. Outputs are published with the store's atomic
 * `putFile`, so readers never see a partial object.
 *
 * @example
 * const workspace = await LakeWorkspace.create(store, 'silver');
 * const paths = await workspace.localPaths(['raw/streams/dt=2026-11-29/x.parquet']);
 * await workspace.dispose();
 */
export class LakeWorkspace {
  private constructor(
    readonly store: ObjectStore,
    readonly directory: string,
  ) {}

  static async create(store: ObjectStore, purpose: string, baseDirectory = tmpdir()): Promise<LakeWorkspace> {
    await mkdir(baseDirectory, { recursive: true });
    return new LakeWorkspace(store, await mkdtemp(join(baseDirectory, `${purpose}-`)));
  }

  /** Local file of each key, in the order given (downloaded when the store is remote). */
  async localPaths(keys: readonly string[]): Promise<string[]> {
    const store = this.store;
    if (store instanceof LocalObjectStore) return keys.map((key) => store.pathOf(key));
    const paths = keys.map((key) => join(this.directory, 'in', ...key.split('/')));
    let next = 0;
    const worker = async () => {
      while (next < keys.length) {
        const index = next++;
        await store.getFile(keys[index]!, paths[index]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(DOWNLOAD_CONCURRENCY, keys.length) }, worker));
    return paths;
  }

  /** A fresh local path for an output that will be published under `key`. */
  async outputPath(key: string): Promise<string> {
    const path = join(this.directory, 'out', ...key.split('/'));
    await mkdir(dirname(path), { recursive: true });
    return path;
  }

  /** Publishes a finished local file under `key` (atomic in every store). */
  async publish(key: string, path: string): Promise<void> {
    await this.store.putFile(key, path);
  }

  /**
   * Publishes `path` under `key`, or deletes `key` when there is no output, so a rerun that
   * rejects nothing also removes a quarantine object an earlier version of the rules wrote.
   */
  async publishOrDelete(key: string, path: string | undefined): Promise<void> {
    if (path) await this.store.putFile(key, path);
    else await this.store.delete(key);
  }

  /** Removes files this workspace made (downloads and outputs); lake files read in place are kept. */
  async discard(paths: readonly string[]): Promise<void> {
    const own = paths.filter((path) => path.startsWith(`${this.directory}/`));
    await Promise.all(own.map((path) => rm(path, { force: true })));
  }

  /** Removes every file this workspace made so far, keeping the workspace usable (after a failed step). */
  async clear(): Promise<void> {
    await rm(this.directory, { recursive: true, force: true });
    await mkdir(this.directory, { recursive: true });
  }

  async dispose(): Promise<void> {
    await rm(this.directory, { recursive: true, force: true });
  }
}
