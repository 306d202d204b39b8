import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AWS_CLIENT_OPTIONS, S3ObjectStore } from '../src/index';
import { type S3Emulator, startS3Emulator } from './support/s3rver';

const BUCKET = 'lake-faults';
const KEY = 'silver/streams/dt=2026-12-07/20261207T070000Z.parquet';
const BODY = Buffer.alloc(256 * 1024, 'parquet bytes ');

/** What the proxy does with a request, by its method and how many of that method came before it. */
type Fault = 'forward' | 'stall' | 'reset-mid-body' | 'slow-down';
let plan: (method: string, index: number) => Fault = () => 'forward';
/** Requests per method since the test began. */
const seen = new Map<string, number>();

/**
 * A proxy between the SDK and s3rver that misbehaves as S3 does now and then: it answers 503
 * SlowDown, accepts a request and never answers, or drops the connection halfway through a body.
 */
function startFaultyProxy(target: string): Promise<Server> {
  const server = createServer((incoming, outgoing) => {
    const method = incoming.method ?? 'GET';
    const index = seen.get(method) ?? 0;
    seen.set(method, index + 1);
    const fault = plan(method, index);
    if (fault === 'stall') return;
    if (fault === 'slow-down') {
      incoming.resume();
      outgoing.writeHead(503, { 'content-type': 'application/xml' });
      outgoing.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
      return;
    }
    const forwarded = request(`${target}${incoming.url}`, { method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
      if (fault !== 'reset-mid-body') return void answer.pipe(outgoing);
      // The headers and part of the body reach the client before the connection drops.
      answer.once('data', (chunk: Buffer) => {
        answer.destroy();
        outgoing.write(chunk.subarray(0, Math.ceil(chunk.length / 2)), () => setTimeout(() => outgoing.socket?.destroy(), 50));
      });
    });
    incoming.pipe(forwarded);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('S3ObjectStore when S3 misbehaves', () => {
  let s3: S3Emulator;
  let proxy: Server;
  let client: S3Client;
  let store: S3ObjectStore;
  let scratch: string;

  beforeAll(async () => {
    s3 = await startS3Emulator();
    await s3.createBucket(BUCKET);
    await new S3ObjectStore(s3.client, BUCKET).put(KEY, BODY);
    proxy = await startFaultyProxy(s3.endpoint);
    const { port } = proxy.address() as AddressInfo;
    // The functions' options, with a silence limit a test can wait for.
    client = new S3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { ...AWS_CLIENT_OPTIONS.requestHandler, socketTimeout: 500 },
    });
    store = new S3ObjectStore(client, BUCKET);
    scratch = await mkdtemp(join(tmpdir(), 's3-faults-'));
  });

  beforeEach(() => {
    plan = () => 'forward';
    seen.clear();
  });

  afterAll(async () => {
    client?.destroy();
    proxy?.closeAllConnections();
    await new Promise((resolve) => proxy?.close(resolve));
    await s3?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('gives up on a request that is never answered and takes it again, rather than waiting for the function to time out', async () => {
    // prepare
    plan = (method, index) => (method === 'GET' && index === 0 ? 'stall' : 'forward');

    // act
    const read = await store.get(KEY);

    // assess
    expect(Buffer.from(read).equals(BODY)).toBe(true);
  });

  it('reads an object again when the connection drops halfway through its body', async () => {
    // prepare
    plan = (method, index) => (method === 'GET' && index === 0 ? 'reset-mid-body' : 'forward');
    const path = join(scratch, 'object.parquet');

    // act
    await store.getFile(KEY, path);

    // assess
    expect((await readFile(path)).equals(BODY)).toBe(true);
  });

  it('names the operation and the object in an error S3 keeps giving, keeping its name', async () => {
    // prepare
    plan = (method) => (method === 'PUT' ? 'slow-down' : 'forward');

    // act
    const put = store.put('gold/streams_diario/dt=2026-12-07/part-0.parquet', 'bytes');

    // assess
    await expect(put).rejects.toMatchObject({
      name: 'SlowDown',
      message: `S3 PutObject s3://${BUCKET}/gold/streams_diario/dt=2026-12-07/part-0.parquet: Please reduce your request rate.`,
    });
  });
});
