/** Metadata of one stored object. */
export interface ObjectInfo {
  key: string;
  size: number;
  lastModified: Date;
  /**
   * Changes on every rewrite whose bytes differ, even within the same second and at the same size
   * (S3 keeps times to the second): S3's entity tag; locally the file's inode and its time in
   * nanoseconds, which every atomic write (a new file renamed over the old) changes.
   */
  etag: string;
}

/** Options of {@link ObjectStore.list}. */
export interface ListOptions {
  /** Only keys that sort after this one; partition keys sort by date (`…/dt=2026-12-05/…`). */
  startAfter?: string;
}

/**
 * The lake's object store: S3 in AWS, a directory locally. Keys are identical in both.
 * Every write is atomic: readers see the whole new object or the old one, never a part.
 */
export interface ObjectStore {
  /** Human-readable location, e.g. `s3://bucket` or a directory. */
  readonly location: string;
  /** Writes bytes under `key` atomically. */
  put(key: string, body: Uint8Array | string): Promise<void>;
  /** Uploads a local file under `key` atomically (large files go multipart in S3). */
  putFile(key: string, path: string): Promise<void>;
  /** Reads a whole object; rejects with {@link ObjectNotFoundError} when absent. */
  get(key: string): Promise<Uint8Array>;
  /** Copies an object to a local file (written atomically); rejects with {@link ObjectNotFoundError}. */
  getFile(key: string, path: string): Promise<void>;
  /**
   * Lists objects under a prefix, sorted by key; in-progress temporary writes are never listed.
   * With `startAfter`, only the keys that sort after it (S3's `StartAfter`): the recent
   * partitions of a layer cost one request however long its history.
   */
  list(prefix: string, options?: ListOptions): Promise<ObjectInfo[]>;
  /** Whether an object exists. */
  exists(key: string): Promise<boolean>;
  /** Deletes an object; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Deletes an object only while it is the version listed (its etag): a writer that rewrote it
   * since keeps its write. Returns whether it was deleted; false when it was rewritten or is gone.
   */
  deleteIfUnchanged(object: ObjectInfo): Promise<boolean>;
}

/**
 * Raised when a key does not exist.
 *
 * @example
 * const body = await store.get(key).catch((error) => {
 *   // Deleted since it was listed: skipped, not a failure.
 *   if (error instanceof ObjectNotFoundError) return undefined;
 *   throw error;
 * });
 */
export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`object not found: ${key}`);
    this.name = 'ObjectNotFoundError';
  }
}

const SAFE_KEY = /^[A-Za-z0-9!_.*'()=/-]+$/;

/**
 * Rejects keys that could escape the lake root or that S3 and a filesystem treat differently.
 *
 * @example
 * assertValidKey('raw/streams/dt=2026-11-29/20261129T213000Z.parquet');
 */
export function assertValidKey(key: string): void {
  if (
    key.length === 0 ||
    key.length > 1024 ||
    !SAFE_KEY.test(key) ||
    key.startsWith('/') ||
    key.endsWith('/') ||
    key.split('/').some((part) => part === '' || part === '.' || part === '..')
  ) {
    throw new Error(`invalid object key "${key}"`);
  }
}
