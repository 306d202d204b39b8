import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** A real S3 protocol server on loopback, with a client configured for it. */
export interface S3Emulator {
  client: S3Client;
  endpoint: string;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** How the emulator answers beyond s3rver's own behaviour. */
export interface S3EmulatorOptions {
  /**
   * Answer a HeadObject or GetObject of a missing key with 403, as S3 answers a caller it does not
   * let list the bucket: a Lambda function whose listing is granted only under a condition on
   * `s3:prefix` (a request for one object carries no prefix). s3rver answers 404 to everyone.
   */
  missingKeysRefused?: boolean;
}

/**
 * Starts s3rver on an ephemeral loopback port in a fresh temporary directory.
 *
 * @example
 * const s3 = await startS3Emulator();
 * await s3.createBucket('lake-test');
 * // ... use s3.client ...
 * await s3.stop();
 */
export async function startS3Emulator(options: S3EmulatorOptions = {}): Promise<S3Emulator> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
  const address = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${address.port}`;
  // Without WHEN_REQUIRED checksums, s3rver stores streamed uploads with their chunk framing.
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  if (options.missingKeysRefused) {
    // Innermost of the stack (after the deserializer), so it sees the raw HTTP answer.
    client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const request = args.request as { method?: string; query?: Record<string, unknown> };
        const response = result.response as { statusCode?: number; body?: unknown };
        const objectRequest = (request.method === 'HEAD' || request.method === 'GET') && !('list-type' in (request.query ?? {}));
        if (objectRequest && response.statusCode === 404) {
          response.statusCode = 403;
          if (request.method === 'GET') {
            response.body = Readable.from([Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>')]);
          }
        }
        return result;
      },
      { step: 'deserialize', priority: 'low', name: 'missingKeysRefused' },
    );
  }
  return {
    client,
    endpoint,
    createBucket: async (name) => {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    stop: async () => {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
