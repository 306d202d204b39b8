import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { fullJitterDelay } from '@twitch-pipeline/schemas';
import { assertValidKey, type ListOptions, type ObjectInfo, ObjectNotFoundError, type ObjectStore } from '../object-store';
import { BodyReadError } from './body-read-error';

/** The SDK loads on first use, not on import: local commands import this package and never call S3. */
const s3Sdk = () => import('@aws-sdk/client-s3');

/** Objects at least this large are uploaded in parts (S3's minimum part is 5 MiB). */
const MULTIPART_PART_BYTES = 8 * 1024 * 1024;

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return name === 'NoSuchKey' || name === 'NotFound' || status === 404;
}

/**
 * Attempts at reading an object's body: the SDK retries a request until its answer's headers
 * arrive, not a connection dropped while the body streams, which failed a whole object or date.
 */
const BODY_ATTEMPTS = 3;
const BODY_BACKOFF = { baseMs: 200, maxMs: 2_000 };

/** Errors of the local file a body is written to, which another read of the body would meet again. */
const LOCAL_WRITE_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EMFILE', 'ENFILE', 'ENOENT']);

/**
 * The SDK's error with the operation and object it failed on in its message: S3's own says only
 * "Please reduce your request rate." or "socket hang up". Its name and metadata stay, since a
 * retry policy (Step Functions', the callers') matches on the name.
 */
function describedError(operation: string, location: string, error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof ObjectNotFoundError) return error;
  const cause = error instanceof BodyReadError ? (error.cause as Error) : error;
  const described = new Error(`S3 ${operation} ${location}: ${cause.message}`, { cause });
  described.name = cause.name;
  const { $metadata, $fault, code } = cause as { $metadata?: unknown; $fault?: unknown; code?: unknown };
  return Object.assign(described, { $metadata, $fault, code });
}

function isPreconditionFailed(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return name === 'PreconditionFailed' || status === 412;
}

/**
 * The object store on S3. A single PutObject, or a multipart upload that becomes visible only
 * when completed, makes every write atomic. Encryption is the bucket's default (SSE-S3, or SSE-KMS with a key of your own).
 *
 * @example
 * const store = new S3ObjectStore(new S3Client({}), process.env.LAKE_BUCKET!);
 * await store.putFile('raw/streams/dt=2026-11-29/x.parquet', '/tmp/x.parquet');
 */
export class S3ObjectStore implements ObjectStore {
  readonly location: string;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {
    this.location = `s3://${bucket}`;
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    assertValidKey(key);
    const { PutObjectCommand } = await s3Sdk();
    await this.described('PutObject', key, () => this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body })));
  }

  async putFile(key: string, path: string): Promise<void> {
    assertValidKey(key);
    const { Upload } = await import('@aws-sdk/lib-storage');
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: createReadStream(path) },
      partSize: MULTIPART_PART_BYTES,
      queueSize: 4,
      leavePartsOnError: false,
    });
    await this.described('upload', key, () => upload.done());
  }

  async get(key: string): Promise<Uint8Array> {
    assertValidKey(key);
    return this.reading(key, async (body) => {
      try {
        return await body.transformToByteArray();
      } catch (error) {
        throw new BodyReadError('body read failed', { cause: error });
      }
    });
  }

  async getFile(key: string, path: string): Promise<void> {
    assertValidKey(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = await this.reading(key, async (body) => {
      const file = join(dirname(path), `.tmp-${randomUUID()}`);
      try {
        await pipeline(body as unknown as Readable, createWriteStream(file));
        return file;
      } catch (error) {
        await rm(file, { force: true });
        // The local disk refusing the write (full, read-only) is no broken answer: reading again would not help.
        throw LOCAL_WRITE_ERRORS.has((error as NodeJS.ErrnoException).code ?? '') ? error : new BodyReadError('body read failed', { cause: error });
      }
    });
    await rename(temporary, path);
  }

  /** A GetObject whose body `read` consumes, taken again when the body breaks off midway. */
  private async reading<T>(key: string, read: (body: { transformToByteArray(): Promise<Uint8Array> }) => Promise<T>): Promise<T> {
    const { GetObjectCommand } = await s3Sdk();
    return this.described('GetObject', key, async () => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
          if (!response.Body) throw new ObjectNotFoundError(key);
          return await read(response.Body);
        } catch (error) {
          if (isNotFound(error)) throw new ObjectNotFoundError(key);
          if (!(error instanceof BodyReadError) || attempt >= BODY_ATTEMPTS) throw error;
          await delay(fullJitterDelay(attempt, BODY_BACKOFF));
        }
      }
    });
  }

  /** Runs one request on `key` (or a prefix), its failure naming the operation and the object. */
  private async described<T>(operation: string, key: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw describedError(operation, `${this.location}/${key}`, error);
    }
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ObjectInfo[]> {
    const found: ObjectInfo[] = [];
    const { paginateListObjectsV2 } = await s3Sdk();
    const request = { Bucket: this.bucket, Prefix: prefix, ...(options.startAfter === undefined ? {} : { StartAfter: options.startAfter }) };
    await this.described('ListObjectsV2', prefix, async () => {
      for await (const page of paginateListObjectsV2({ client: this.client }, request)) {
        for (const object of page.Contents ?? []) {
          if (!object.Key) continue;
          found.push({ key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0), etag: object.ETag ?? '' });
        }
      }
    });
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /**
   * Whether the key exists, asked as a listing of the key itself: S3 answers a HeadObject of a
   * missing key with 404 only to a caller it lets list the bucket, and 403 to any other, and the
   * functions may list only their own prefixes, a condition (`s3:prefix`) a HeadObject request
   * does not carry. A listing carries it, so "missing" is never taken for "refused", and a
   * refusal is S3's own error with its message, where a HeadObject's 403 has no body.
   */
  async exists(key: string): Promise<boolean> {
    assertValidKey(key);
    const { ListObjectsV2Command } = await s3Sdk();
    // The key is the first one its own prefix lists, when it exists: no other key sorts before it.
    const page = await this.described('ListObjectsV2', key, () =>
      this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: key, MaxKeys: 1 })),
    );
    return page.Contents?.[0]?.Key === key;
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    const { DeleteObjectCommand } = await s3Sdk();
    await this.described('DeleteObject', key, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })));
  }

  async deleteIfUnchanged(object: ObjectInfo): Promise<boolean> {
    assertValidKey(object.key);
    const { DeleteObjectCommand } = await s3Sdk();
    // S3's conditional delete (If-Match, general purpose buckets since September 2025): 412 when
    // the object was rewritten, 404 when it is gone.
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: object.key, IfMatch: object.etag }));
      return true;
    } catch (error) {
      if (isNotFound(error) || isPreconditionFailed(error)) return false;
      throw describedError('DeleteObject', `${this.location}/${object.key}`, error);
    }
  }
}
