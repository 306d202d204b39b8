import { type HelixSimulator, startHelixSimulator } from '@twitch-pipeline/helix-simulator';
import { Logger } from '@twitch-pipeline/observability';
import { type S3Emulator, startS3Emulator } from '@twitch-pipeline/storage/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createExtractHandler } from '../src/index';

// S3 is a real S3 protocol server (s3rver) and Helix is the simulator over real HTTP.
const BUCKET = 'lake-extract-failure-name';
let s3: S3Emulator;
let sim: HelixSimulator;

beforeAll(async () => {
  s3 = await startS3Emulator();
  await s3.createBucket(BUCKET);
  sim = await startHelixSimulator({ seed: 5, averageLiveChannels: 200, startTime: new Date('2026-11-29T21:30:00Z') });
});

afterAll(async () => {
  await sim.close();
  await s3.stop();
});

describe('extract Lambda handler: a failed crawl', () => {
  it('throws the error under its own name, which Step Functions shows as the Error, and logs it with the snapshot and the execution', async () => {
    // prepare: Twitch refuses the client secret, so the crawl fails at its first request
    const lines: string[] = [];
    const capture = (...parts: unknown[]) => lines.push(parts.map(String).join(' '));
    const spies = (['debug', 'info', 'warn', 'error', 'log'] as const).map((level) => vi.spyOn(console, level).mockImplementation(capture));
    const env = {
      TWITCH_CLIENT_ID: sim.credentials.clientId,
      TWITCH_CLIENT_SECRET: 'a-revoked-client-secret',
      TWITCH_API_URL: sim.apiUrl,
      TWITCH_AUTH_URL: sim.authUrl,
      LAKE_BUCKET: BUCKET,
      PIPELINE_LANGUAGES: 'pt',
    };
    const logger = new Logger({ serviceName: 'extract', logLevel: 'INFO' });
    const handler = createExtractHandler({ env, s3: s3.client, logger, now: () => new Date('2026-11-29T21:31:00Z') });

    // act
    const failure = (await handler({ collectedAt: '2026-11-29T21:30:00Z', executionName: 'cycle-20261129T213000Z' }).catch((error: unknown) => error)) as Error;
    for (const spy of spies) spy.mockRestore();

    // assess: Lambda reports `name` as the errorType, the Error of the failed task
    expect(failure.name).toBe('HelixRequestError');
    expect(failure.message).toMatch(/^snapshot 20261129T213000Z failed, nothing was written: could not obtain an app token/);
    const records = lines.flatMap((line) => (line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : []));
    const logged = records.find((record) => record.message === 'extract failed');
    expect(logged).toMatchObject({ level: 'ERROR', snapshot_id: '20261129T213000Z', execution_name: 'cycle-20261129T213000Z', error: { name: 'HelixRequestError' } });
    // Every line, so that a Logs Insights filter on the execution's name finds the crawl's warnings too.
    for (const record of records) expect(record).toMatchObject({ execution_name: 'cycle-20261129T213000Z' });
    expect(lines.join('\n')).not.toContain('a-revoked-client-secret');
  });
});
