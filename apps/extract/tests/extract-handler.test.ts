import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { withEngine } from '@twitch-pipeline/duckdb';
import { createMetrics, Logger } from '@twitch-pipeline/observability';
import { type HelixSimulator, startHelixSimulator } from '@twitch-pipeline/helix-simulator';
import { S3ObjectStore } from '@twitch-pipeline/storage';
import { type S3Emulator, startS3Emulator } from '@twitch-pipeline/storage/testing';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createExtractHandler } from '../src/index';

// No SSM Parameter Store emulator runs here: GetParameter is answered by aws-sdk-client-mock.
// S3 is a real S3 protocol server (s3rver) and Helix is the simulator over real HTTP.
const SECRET_ARN = 'arn:aws:ssm:us-east-1:123456789012:parameter/twitch-pipeline-prod/twitch-credentials';
const BUCKET = 'lake-extract-test';
const ssm = mockClient(SSMClient);
const parameterValue = (value: string) => ({ Parameter: { Name: SECRET_ARN, Type: 'SecureString' as const, Value: value } });
const credentialsProvider = () => new SSMProvider({ awsSdkV3Client: new SSMClient({}) });

let s3: S3Emulator;
let sim: HelixSimulator;
let lake: S3ObjectStore;
let directory: string;

beforeAll(async () => {
  s3 = await startS3Emulator();
  await s3.createBucket(BUCKET);
  lake = new S3ObjectStore(s3.client, BUCKET);
});

afterAll(async () => {
  await s3.stop();
  ssm.restore();
});

beforeEach(async () => {
  sim = await startHelixSimulator({ seed: 5, averageLiveChannels: 2000, startTime: new Date('2026-11-29T21:30:00Z') });
  directory = await mkdtemp(join(tmpdir(), 'extract-handler-'));
  ssm.reset();
  ssm
    .on(GetParameterCommand, { Name: SECRET_ARN, WithDecryption: true })
    .resolves(parameterValue(JSON.stringify({ client_id: sim.credentials.clientId, client_secret: sim.credentials.clientSecret })));
  for (const object of await lake.list('')) await lake.delete(object.key);
});

afterEach(async () => {
  await sim.close();
  await rm(directory, { recursive: true, force: true });
});

function environment(extra: Record<string, string> = {}): Record<string, string> {
  return {
    TWITCH_SECRET_ARN: SECRET_ARN,
    TWITCH_API_URL: sim.apiUrl,
    TWITCH_AUTH_URL: sim.authUrl,
    LAKE_BUCKET: BUCKET,
    PIPELINE_LANGUAGES: 'pt,es',
    ...extra,
  };
}

/** The Helix fields of an extract's `figures` log line. */
type HelixFigures = { HelixPages: number; HelixRequests: number; HelixRetries: number; HelixRateLimited: number };

function handlerWith(env: Record<string, string>, now = () => new Date('2026-11-29T21:44:59Z')) {
  return createExtractHandler({ env, s3: s3.client, parameters: credentialsProvider(), now });
}

describe('extract Lambda handler', () => {
  it('lands the scheduled snapshot in S3 and reuses the credentials and the app token while warm', async () => {
    // prepare: the second schedule comes half an hour later, to the same warm function
    let clock = new Date('2026-11-29T21:44:59Z');
    const handler = handlerWith(environment(), () => clock);
    const live = sim.liveStreams().filter((stream) => ['pt', 'es'].includes(stream.language));

    // act
    const first = await handler({ collectedAt: '2026-11-29T21:30:04Z' });
    clock = new Date('2026-11-29T22:14:59Z');
    const second = await handler({ collectedAt: '2026-11-29T22:00:00Z' });

    // assess
    expect(first).toMatchObject({
      snapshotId: '20261129T213000Z',
      dt: '2026-11-29',
      bronzeKey: 'raw/streams/dt=2026-11-29/20261129T213000Z.parquet',
      collected: live.length,
      written: live.length,
      quarantined: 0,
      rateLimited: 0,
    });
    expect(second.snapshotId).toBe('20261129T220000Z');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
    expect(sim.stats().tokensIssued).toBe(1);
    const path = join(directory, 'bronze.parquet');
    await writeFile(path, await lake.get(first.bronzeKey));
    const [row] = await withEngine({}, (engine) =>
      engine.all('SELECT count(*) AS n, count(DISTINCT id) AS ids FROM read_parquet($path)', { path }),
    );
    expect(row).toEqual({ n: live.length, ids: live.length });
  });

  it('sweeps at Init the scratch a cut-off invocation left in Lambda, and works in that folder', async () => {
    // prepare: Lambda keeps /tmp across the reset that follows a timeout, then runs Init again
    await mkdir(join(directory, 'extract', 'extract-a1b2c3'), { recursive: true });
    await writeFile(join(directory, 'extract', 'extract-a1b2c3', 'bronze.parquet'), 'PAR1');
    const env = environment({ LAMBDA_TASK_ROOT: '/var/task', TMPDIR: directory });

    // act
    const handler = handlerWith(env);
    const leftAfterInit = await readdir(join(directory, 'extract'));
    await rm(join(directory, 'extract'), { recursive: true });
    const summary = await handler({ collectedAt: '2026-11-29T21:30:00Z' });

    // assess: the run made the function's folder again for its files (and removed them), nothing beside it
    expect(leftAfterInit).toEqual([]);
    expect(summary.written).toBeGreaterThan(0);
    expect(await readdir(directory)).toEqual(['extract']);
    expect(await readdir(join(directory, 'extract'))).toEqual([]);
  });

  it('uses the current time rounded down to the interval when no time is given', async () => {
    // prepare
    const handler = handlerWith(environment({ PIPELINE_INTERVAL_MINUTES: '15' }));

    // act
    const summary = await handler({});

    // assess
    expect(summary.collectedAt).toBe('2026-11-29T21:30:00.000Z');
    expect(await lake.exists(summary.bronzeKey)).toBe(true);
  });

  it('fails without writing when Helix answers only with HTML error pages', async () => {
    // prepare
    sim.setFaults({ htmlErrorRate: 1 });
    const handler = createExtractHandler({ env: environment(), s3: s3.client, now: () => new Date('2026-11-29T21:30:00Z') });

    // act
    const outcome = handler({ collectedAt: '2026-11-29T21:30:00Z' });

    // assess
    await expect(outcome).rejects.toThrow(/nothing was written: .*non-JSON response \(status 502, text\/html/);
    expect(await lake.list('')).toEqual([]);
  }, 120_000);

  it('writes the figures line of a failed crawl too, with the retries it spent', async () => {
    // prepare: an outage, so every call is retried until the crawl gives up
    sim.setFaults({ htmlErrorRate: 1 });
    const lines: string[] = [];
    const capture = (...parts: unknown[]) => lines.push(parts.map(String).join(' '));
    const spies = (['debug', 'info', 'warn', 'error', 'log'] as const).map((level) => vi.spyOn(console, level).mockImplementation(capture));
    const logger = new Logger({ serviceName: 'extract', logLevel: 'INFO' });
    const metrics = createMetrics('extract', logger);
    const added = vi.spyOn(metrics, 'addMetric');
    const handler = createExtractHandler({ env: environment(), s3: s3.client, parameters: credentialsProvider(), logger, metrics, now: () => new Date('2026-11-29T21:30:00Z') });

    // act
    const outcome = await handler({ collectedAt: '2026-11-29T21:30:00Z' }).catch((error: unknown) => error);
    for (const spy of spies) spy.mockRestore();

    // assess: the line the dashboard's extract widget reads, with no snapshot counted as landed
    expect(outcome).toBeInstanceOf(Error);
    const records = lines.flatMap((line) => (line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : []));
    const figures = records.filter((record) => record.message === 'figures').map((record) => record.figures as HelixFigures);
    expect(figures).toHaveLength(1);
    const [line] = figures as [HelixFigures];
    expect(line).toMatchObject({ HelixPages: 0, HelixRateLimited: 0 });
    expect(line.HelixRetries).toBeGreaterThan(0);
    expect(line.HelixRequests).toBeGreaterThan(line.HelixRetries);
    expect(records.some((record) => record.message === 'extract failed')).toBe(true);
    // Its sample count is the number of snapshots landed, which the no-fresh-snapshot alarm reads.
    expect(added.mock.calls.map(([name]) => name)).not.toContain('StreamsWritten');
  }, 120_000);

  it('names a malformed secret without echoing it, and reads it again on the next invocation', async () => {
    // prepare
    const good = parameterValue(JSON.stringify({ client_id: sim.credentials.clientId, client_secret: sim.credentials.clientSecret }));
    ssm
      .on(GetParameterCommand, { Name: SECRET_ARN, WithDecryption: true })
      .resolvesOnce(parameterValue(JSON.stringify({ client_id: 'only-the-id' })))
      .resolves(good);
    const handler = handlerWith(environment());

    // act
    const failed = (await handler({ collectedAt: '2026-11-29T21:30:00Z' }).catch((error: unknown) => error)) as Error;
    const recovered = await handler({ collectedAt: '2026-11-29T21:30:00Z' });

    // assess
    expect(failed.message).toBe(`parameter ${SECRET_ARN}: client_secret is missing or not text: expected {"client_id": ..., "client_secret": ...}`);
    expect(failed.message).not.toContain('only-the-id');
    // Named so that the state machine fails the run at once: a retry reads the same value.
    expect(failed.name).toBe('MalformedCredentialsError');
    expect(recovered.written).toBeGreaterThan(0);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('picks up rotated credentials in a warm container once their maxAge has passed', async () => {
    // prepare: the parameter still holds a revoked secret when the container starts; the new one is set right after
    const revoked = parameterValue(JSON.stringify({ client_id: sim.credentials.clientId, client_secret: 'revoked-secret' }));
    const rotated = parameterValue(JSON.stringify({ client_id: sim.credentials.clientId, client_secret: sim.credentials.clientSecret }));
    ssm.on(GetParameterCommand, { Name: SECRET_ARN, WithDecryption: true }).resolvesOnce(revoked).resolves(rotated);
    const handler = createExtractHandler({ env: environment(), s3: s3.client, parameters: credentialsProvider(), credentialsMaxAgeSeconds: 1, now: () => new Date('2026-11-29T21:44:59Z') });
    // The provider's cache ages by Date.now(): stop that clock, or a first invocation slower than
    // maxAge (seconds, on a busy machine) lets the second read the rotated secret already.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date() });

    // act
    let first: unknown;
    let stillCached: unknown;
    let afterMaxAge: Awaited<ReturnType<typeof handler>>;
    try {
      first = await handler({ collectedAt: '2026-11-29T21:30:00Z' }).catch((error: unknown) => error);
      stillCached = await handler({ collectedAt: '2026-11-29T21:30:00Z' }).catch((error: unknown) => error);
      vi.setSystemTime(Date.now() + 1_100);
      afterMaxAge = await handler({ collectedAt: '2026-11-29T21:30:00Z' });
    } finally {
      vi.useRealTimers();
    }

    // assess
    expect(first).toBeInstanceOf(Error);
    expect(stillCached).toBeInstanceOf(Error);
    expect(afterMaxAge.written).toBeGreaterThan(0);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
    expect(sim.stats().tokensIssued).toBe(1);
  });

  it('logs the run without the client secret, the client id or a token', async () => {
    // prepare: server errors put the retry warnings to work as well
    sim.setFaults({ serverErrorRate: 0.5 });
    const lines: string[] = [];
    const capture = (...parts: unknown[]) => lines.push(parts.map(String).join(' '));
    const spies = (['debug', 'info', 'warn', 'error', 'log'] as const).map((level) => vi.spyOn(console, level).mockImplementation(capture));
    const logger = new Logger({ serviceName: 'extract', logLevel: 'DEBUG' });
    const handler = createExtractHandler({ env: environment(), s3: s3.client, parameters: credentialsProvider(), logger, now: () => new Date('2026-11-29T21:31:00Z') });

    // act
    const summary = await handler({ collectedAt: '2026-11-29T21:30:00Z' });
    for (const spy of spies) spy.mockRestore();

    // assess
    expect(summary.retries).toBeGreaterThan(0);
    const output = lines.join('\n');
    expect(output).toContain('extract finished');
    expect(output).toContain('Helix call failed; retrying');
    for (const secret of [sim.credentials.clientSecret, sim.credentials.clientId, 'Bearer ']) expect(output).not.toContain(secret);
  });

  it('stops before the Lambda deadline with nothing written', async () => {
    // prepare: every Helix answer takes 1.5 s and the invocation has 1 s left after the reserve
    sim.setFaults({ latencyMs: 1500 });
    const handler = handlerWith(environment());
    const context = { functionName: 'extract', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 21_000 } as unknown as Context;

    // act
    const outcome = handler({ collectedAt: '2026-11-29T21:30:00Z' }, context);

    // assess
    await expect(outcome).rejects.toThrow(/snapshot 20261129T213000Z failed, nothing was written: .*timeout/);
    expect(await lake.list('')).toEqual([]);
  });

  it('rejects an input time that is not an instant, a missing bucket and missing credentials, with clear messages', async () => {
    // prepare
    const handler = handlerWith(environment());
    const bucketless = handlerWith({ ...environment(), LAKE_BUCKET: '' });
    const keyless = handlerWith({ ...environment(), TWITCH_SECRET_ARN: '' });

    // act
    const badInput = handler({ collectedAt: 'half past nine' });
    const noBucket = bucketless({});
    const noCredentials = keyless({});

    // assess
    await expect(badInput).rejects.toThrow(/collectedAt must be an ISO-8601 instant/);
    await expect(noBucket).rejects.toThrow(/LAKE_BUCKET is not set/);
    // Named so that the state machine fails the run at once instead of retrying what cannot pass.
    await expect(badInput).rejects.toMatchObject({ name: 'InvalidStepInputError' });
    await expect(noBucket).rejects.toMatchObject({ name: 'MissingSettingError', variable: 'LAKE_BUCKET' });
    await expect(noCredentials).rejects.toMatchObject({ name: 'MissingSettingError', variable: 'TWITCH_SECRET_ARN' });
    await expect(noCredentials).rejects.toThrow(/TWITCH_SECRET_ARN is not set: .*TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET/);
  });
});
