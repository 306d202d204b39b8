import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalObjectStore, ObjectNotFoundError, type ObjectStore, S3ObjectStore } from '../src/index';
import { type S3Emulator, startS3Emulator } from './support/s3rver';

interface Harness {
  store: ObjectStore;
  scratch: string;
  teardown(): Promise<void>;
}

const adapters: [string, () => Promise<Harness>][] = [
  [
    'LocalObjectStore',
    async () => {
      const root = await mkdtemp(join(tmpdir(), 'lake-'));
      const scratch = await mkdtemp(join(tmpdir(), 'scratch-'));
      return {
        store: new LocalObjectStore(root),
        scratch,
        teardown: async () => {
          await rm(root, { recursive: true, force: true });
          await rm(scratch, { recursive: true, force: true });
        },
      };
    },
  ],
  [
    'S3ObjectStore (s3rver)',
    async () => {
      const s3: S3Emulator = await startS3Emulator();
      await s3.createBucket('lake-contract');
      const scratch = await mkdtemp(join(tmpdir(), 'scratch-'));
      return {
        store: new S3ObjectStore(s3.client, 'lake-contract'),
        scratch,
        teardown: async () => {
          await s3.stop();
          await rm(scratch, { recursive: true, force: true });
        },
      };
    },
  ],
];

describe.each(adapters)('object store contract: %s', (_name, create) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await create();
  });
  afterAll(async () => {
    await harness.teardown();
  });

  it('round-trips bytes and strings', async () => {
    // prepare
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);

    // act
    await harness.store.put('raw/streams/dt=2026-11-29/a.parquet', bytes);
    await harness.store.put('raw/streams/dt=2026-11-29/b.json', 'olá ✨');

    // assess
    expect(await harness.store.get('raw/streams/dt=2026-11-29/a.parquet')).toEqual(bytes);
    expect(new TextDecoder().decode(await harness.store.get('raw/streams/dt=2026-11-29/b.json'))).toBe('olá ✨');
  });

  it('uploads and downloads files, multipart-sized ones intact', async () => {
    // prepare: 9 MiB crosses the multipart threshold of the S3 adapter.
    const source = join(harness.scratch, 'big.bin');
    const content = Buffer.alloc(9 * 1024 * 1024);
    for (let i = 0; i < content.length; i += 4096) content[i] = i % 251;
    await writeFile(source, content);

    // act
    await harness.store.putFile('silver/streams/dt=2026-11-29/big.parquet', source);
    const target = join(harness.scratch, 'nested', 'copy.bin');
    await harness.store.getFile('silver/streams/dt=2026-11-29/big.parquet', target);

    // assess
    expect(Buffer.compare(await readFile(target), content)).toBe(0);
  });

  it('lists by prefix, sorted, with sizes', async () => {
    // prepare
    await harness.store.put('gold/streams_diario/dt=2026-11-28/part-0.parquet', 'x');
    await harness.store.put('gold/streams_diario/dt=2026-11-27/part-0.parquet', 'yy');
    await harness.store.put('gold/streamers_diario/dt=2026-11-27/part-0.parquet', 'z');

    // act
    const listed = await harness.store.list('gold/streams_diario/');

    // assess
    expect(listed.map((o) => [o.key, o.size])).toEqual([
      ['gold/streams_diario/dt=2026-11-27/part-0.parquet', 2],
      ['gold/streams_diario/dt=2026-11-28/part-0.parquet', 1],
    ]);
    expect(await harness.store.list('nothing/here/')).toEqual([]);
  });

  it('lists a rewrite of the same size, within the same second, under a new entity tag', async () => {
    // prepare
    const key = 'silver/streams/dt=2026-11-29/20261129T213000Z.parquet';
    await harness.store.put(key, 'first');
    const [before] = await harness.store.list(key);

    // act
    await harness.store.put(key, 'other');
    const [after] = await harness.store.list(key);

    // assess
    expect(after?.size).toBe(before?.size);
    expect(after?.etag).toBeTruthy();
    expect(after?.etag).not.toBe(before?.etag);
  });

  it('overwrites whole, reports existence and deletes idempotently', async () => {
    // prepare
    const key = 'gold/categorias_diario/dt=2026-11-29/part-0.parquet';
    await harness.store.put(key, 'first version, longer');

    // act
    await harness.store.put(key, 'second');
    const overwritten = new TextDecoder().decode(await harness.store.get(key));
    const existed = await harness.store.exists(key);
    await harness.store.delete(key);
    await harness.store.delete(key);

    // assess
    expect(overwritten).toBe('second');
    expect(existed).toBe(true);
    expect(await harness.store.exists(key)).toBe(false);
  });

  it('lists only the keys after startAfter, the recent partitions of a layer', async () => {
    // prepare
    const keys = ['dt=2026-11-27/a.parquet', 'dt=2026-11-28/b.parquet', 'dt=2026-11-29/c.parquet', 'dt=2026-11-30/d.parquet'].map(
      (name) => `gold/listing_test/${name}`,
    );
    for (const key of keys) await harness.store.put(key, 'x');

    // act
    const recent = await harness.store.list('gold/listing_test/', { startAfter: 'gold/listing_test/dt=2026-11-29' });

    // assess: the partition named is included, the ones before it are not.
    expect(recent.map((object) => object.key)).toEqual(keys.slice(2));
    expect(await harness.store.list('gold/listing_test/')).toHaveLength(4);
  });

  it('does not take a longer key that begins with it for the key', async () => {
    // prepare: S3's existence check is a listing of the key as a prefix.
    const key = 'gold/streamers_diario/dt=2026-11-29/part-0.parquet';
    await harness.store.put(`${key}.bak`, 'a copy beside it');

    // act
    const exists = await harness.store.exists(key);

    // assess
    expect(exists).toBe(false);
    expect(await harness.store.exists(`${key}.bak`)).toBe(true);
  });

  it('deletes an object conditionally while it is the version listed', async () => {
    // prepare
    const key = 'pending/gold/dt=2026-11-29/20261129T213000Z.json';
    await harness.store.put(key, 'marked');
    const [listed] = await harness.store.list(key);

    // act
    const deleted = await harness.store.deleteIfUnchanged(listed!);

    // assess
    expect(deleted).toBe(true);
    expect(await harness.store.exists(key)).toBe(false);
  });

  it('raises ObjectNotFoundError for a missing key, and leaves no partial download', async () => {
    // act + assess
    await expect(harness.store.get('raw/streams/dt=2000-01-01/none.parquet')).rejects.toBeInstanceOf(
      ObjectNotFoundError,
    );
    const target = join(harness.scratch, 'missing.bin');
    await expect(harness.store.getFile('raw/streams/dt=2000-01-01/none.parquet', target)).rejects.toBeInstanceOf(
      ObjectNotFoundError,
    );
    await expect(readFile(target)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses keys that could escape the lake', async () => {
    // act + assess
    await expect(harness.store.put('../outside.txt', 'x')).rejects.toThrow(/invalid object key/);
    await expect(harness.store.put('raw//double.txt', 'x')).rejects.toThrow(/invalid object key/);
  });
});

describe('LocalObjectStore conditional delete', () => {
  it('keeps an object rewritten since it was listed, leaves nothing aside, and reports a missing one as not deleted', async () => {
    // prepare
    const root = await mkdtemp(join(tmpdir(), 'lake-'));
    const store = new LocalObjectStore(root);
    const key = 'pending/gold/dt=2026-11-29/20261129T213000Z.json';
    await store.put(key, 'first');
    const [listed] = await store.list(key);
    await store.put(key, 'second');

    // act
    const deleted = await store.deleteIfUnchanged(listed!);
    const missing = await store.deleteIfUnchanged({ ...listed!, key: 'pending/gold/dt=2026-11-29/20261129T220000Z.json' });

    // assess
    expect([deleted, missing]).toEqual([false, false]);
    expect(new TextDecoder().decode(await store.get(key))).toBe('second');
    expect(await readdir(join(root, 'pending', 'gold', 'dt=2026-11-29'))).toEqual(['20261129T213000Z.json']);
    await rm(root, { recursive: true, force: true });
  });
});

describe('S3ObjectStore conditional delete', () => {
  // s3rver does not evaluate If-Match on DELETE (S3 does, on general purpose buckets since
  // September 2025): the requests go to s3rver's client, and S3's answers to a rewritten object
  // (412 PreconditionFailed) and to a missing one (404 NoSuchKey) are injected by a client
  // middleware, since no emulator here gives them.
  it('sends the listed entity tag as If-Match, and reads 412 and 404 as not deleted', async () => {
    // prepare
    const s3 = await startS3Emulator();
    await s3.createBucket('lake-conditional');
    const store = new S3ObjectStore(s3.client, 'lake-conditional');
    const key = 'pending/gold/dt=2026-11-29/20261129T213000Z.json';
    await store.put(key, 'first');
    const [listed] = await store.list(key);
    await store.put(key, 'second');
    const sent: (string | undefined)[] = [];
    const answers = [
      { name: 'PreconditionFailed', message: 'At least one of the pre-conditions you specified did not hold', status: 412 },
      { name: 'NoSuchKey', message: 'The specified key does not exist.', status: 404 },
    ];
    s3.client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { method?: string; headers?: Record<string, string> };
        if (request.method !== 'DELETE') return next(args);
        sent.push(request.headers?.['if-match']);
        const answer = answers.shift()!;
        throw Object.assign(new Error(answer.message), { name: answer.name, $metadata: { httpStatusCode: answer.status } });
      },
      { step: 'finalizeRequest', name: 'answerAsS3' },
    );

    // act
    const rewritten = await store.deleteIfUnchanged(listed!);
    const missing = await store.deleteIfUnchanged(listed!);

    // assess
    expect([rewritten, missing]).toEqual([false, false]);
    expect(sent).toEqual([listed!.etag, listed!.etag]);
    expect(listed!.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(new TextDecoder().decode(await store.get(key))).toBe('second');
    await s3.stop();
  });
});

describe('LocalObjectStore atomicity', () => {
  it('never lists an in-progress temporary file and sweeps stale ones', async () => {
    // prepare: a temporary file as a killed writer left it two minutes ago. (Swept with a limit of
    // 0 ms right after being written, it could fall within the same millisecond and not be older.)
    const root = await mkdtemp(join(tmpdir(), 'lake-'));
    const store = new LocalObjectStore(root);
    await store.put('raw/streams/dt=2026-11-29/done.parquet', 'complete');
    const crashed = join(root, 'raw', 'streams', 'dt=2026-11-29', '.tmp-crashed');
    await writeFile(crashed, 'partial');
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await utimes(crashed, twoMinutesAgo, twoMinutesAgo);

    // act
    const listed = await store.list('raw/streams/');
    const removed = await store.removeStaleTemporaryFiles();

    // assess
    expect(listed.map((o) => o.key)).toEqual(['raw/streams/dt=2026-11-29/done.parquet']);
    expect(removed).toBe(1);
    await rm(root, { recursive: true, force: true });
  });
});
