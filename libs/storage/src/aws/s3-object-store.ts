import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { assertValidKey, type ListOptions, type ObjectInfo, ObjectNotFoundError, type ObjectStore } from '../object-store';

/** The SDK loads on first use, not on import: local commands import this package and never call S3. */
const s3Sdk = () => import('@aws-sdk/client-s3');

/** Objects at least this large are uploaded in parts (S3's minimum part is 5 MiB). */
const MULTIPART_PART_BYTES = 8 * 1024 * 1024;

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return name === 'NoSuchKey' || name === 'NotFound' || status === 404;
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
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body }));
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
    await upload.done();
  }

  async get(key: string): Promise<Uint8Array> {
    assertValidKey(key);
    const { GetObjectCommand } = await s3Sdk();
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!response.Body) throw new ObjectNotFoundError(key);
      return await response.Body.transformToByteArray();
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(key);
      throw error;
    }
  }

  async getFile(key: string, path: string): Promise<void> {
    assertValidKey(key);
    const temporary = join(dirname(path), `.tmp-${randomUUID()}`);
    await mkdir(dirname(path), { recursive: true });
    const { GetObjectCommand } = await s3Sdk();
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!response.Body) throw new ObjectNotFoundError(key);
      await pipeline(response.Body as Readable, createWriteStream(temporary));
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      if (isNotFound(error)) throw new ObjectNotFoundError(key);
      throw error;
    }
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ObjectInfo[]> {
    const found: ObjectInfo[] = [];
    const { paginateListObjectsV2 } = await s3Sdk();
    const request = { Bucket: this.bucket, Prefix: prefix, ...(options.startAfter === undefined ? {} : { StartAfter: options.startAfter }) };
    for await (const page of paginateListObjectsV2({ client: this.client }, request)) {
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        found.push({ key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0), etag: object.ETag ?? '' });
      }
    }
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
    const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: key, MaxKeys: 1 }));
    return page.Contents?.[0]?.Key === key;
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    const { DeleteObjectCommand } = await s3Sdk();
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
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
      throw error;
    }
  }
}
