import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DUCKDB_ALLOCATOR_ENVIRONMENT } from '@twitch-pipeline/duckdb/allocator-environment';
import { startHelixSimulator } from '@twitch-pipeline/helix-simulator';
import type { ExtractSummary, GoldSummary, PublishSummary, SilverSummary } from '@twitch-pipeline/pipeline';
import { silverKey } from '@twitch-pipeline/schemas';
import { S3ObjectStore } from '@twitch-pipeline/storage';
import { startAwsJsonStub, startDynamoEmulator, startS3Emulator } from '@twitch-pipeline/storage/testing';
import type { SQSBatchResponse } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES } from '../src/config';
import { FUNCTION_APPS } from '../src/functions';
import { invokeHandler, node24Gate } from './support/node24';
import { sqsEvent } from './support/sqs-event';

// Builds every Lambda app once with the real bundler (what `nx build` runs), copies each
// function's folder into an empty temporary directory outside the workspace, and loads it there
// with a plain `node`: an import that needs anything not shipped in the folder fails. Then, with
// the Node 24 binary of the nodejs24.x runtime, invokes each function once (see the last suite).
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The silver function's output as these checks read it: the handler returns its per-object lists cut, as keys. */
type SilverOutput = Pick<SilverSummary, 'dates' | 'failed' | 'rowsIn' | 'rowsOut' | 'quarantined'> & { processed: { keys: string[] } };

const BUNDLER = join(ROOT, 'tools/scripts/bundle-lambda.ts');

/** Every function the pipeline stack deploys, listed here so that a missing app fails. */
const EXPECTED = [
  { app: 'extract', fn: 'extract', duckdb: true, sql: false },
  { app: 'publish', fn: 'publish', duckdb: true, sql: false },
  { app: 'stream-consumer', fn: 'stream-consumer', duckdb: false, sql: false },
  { app: 'transform', fn: 'transform-silver', duckdb: true, sql: true },
  { app: 'transform', fn: 'transform-gold', duckdb: true, sql: true },
] as const;

/** Loads a function folder the way Lambda does, and the DuckDB binding the way its bundle does. */
const PROBE = `
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
const [directory, needsDuckdb] = process.argv.slice(1);
const entry = pathToFileURL(directory + '/index.mjs');
const module = await import(entry.href);
const result = { handler: typeof module.handler };
if (needsDuckdb === 'true') {
  const binding = createRequire(entry)('@duckdb/node-bindings-linux-x64/duckdb.node');
  result.duckdb = binding.library_version();
}
console.log(JSON.stringify(result));
`;

/** What Lambda and the stack set; handlers may read their configuration when loaded. */
const LAMBDA_ENVIRONMENT = {
  AWS_REGION: 'sa-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  LAKE_BUCKET: 'twitch-lake',
  EVENTS_QUEUE_URL: 'https://sqs.sa-east-1.amazonaws.com/123456789012/twitch-pipeline-test-events',
  EVENTS_DLQ_URL: 'https://sqs.sa-east-1.amazonaws.com/123456789012/twitch-pipeline-test-events-dlq',
  REALTIME_TABLE: 'twitch_pipeline_test_realtime_streams',
  TWITCH_SECRET_ARN: 'arn:aws:ssm:sa-east-1:123456789012:parameter/twitch-pipeline/test/twitch-credentials',
  ALERTS_TOPIC_ARN: 'arn:aws:sns:sa-east-1:123456789012:twitch-pipeline-test-alerts',
};

const buildLogs = new Map<string, string>();
const buildErrors = new Map<string, string>();
let sandbox: string;

beforeAll(async () => {
  sandbox = await mkdtemp(join(tmpdir(), 'lambda-artifacts-'));
  for (const app of new Set(EXPECTED.map((expected) => expected.app))) {
    const appDir = join(ROOT, 'apps', app);
    if (!existsSync(join(appDir, 'package.json'))) {
      buildErrors.set(app, `apps/${app} does not exist`);
      continue;
    }
    try {
      buildLogs.set(app, execFileSync(process.execPath, ['--import', 'tsx', BUNDLER], { cwd: appDir, encoding: 'utf8' }));
    } catch (error) {
      buildErrors.set(app, String((error as { stderr?: string }).stderr ?? error));
    }
  }
  console.log([...buildLogs.values()].join(''));
}, 180_000);

afterAll(async () => {
  await rm(sandbox, { recursive: true, force: true });
});

describe('Lambda artifacts', () => {
  it('lists the same functions and apps the pipeline stack deploys', () => {
    // prepare
    const deployed = FUNCTION_NAMES.map((fn) => ({ fn, app: FUNCTION_APPS[fn] }));
    // act
    const expected = EXPECTED.map(({ fn, app }) => ({ fn, app }));
    // assess
    expect(expected).toEqual(deployed);
  });

  it.each(EXPECTED)('$app/$fn builds and loads from an empty folder', async ({ app, fn, duckdb, sql }) => {
    // prepare
    expect(buildErrors.get(app), `build of apps/${app}`).toBeUndefined();
    const unpacked = join(sandbox, fn);
    await cp(join(ROOT, 'dist/apps', app, fn), unpacked, { recursive: true });
    // act
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', PROBE, unpacked, String(duckdb)], {
      cwd: sandbox,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, ...LAMBDA_ENVIRONMENT },
    });
    // assess
    const loaded = JSON.parse(output.trim().split('\n').at(-1)!);
    expect(loaded.handler).toBe('function');
    if (duckdb) expect(loaded.duckdb).toMatch(/^v\d+\.\d+\.\d+/);
    else expect(existsSync(join(unpacked, 'node_modules'))).toBe(false);
    if (sql) {
      for (const folder of ['models', 'macros']) expect(existsSync(join(unpacked, folder)), `${fn}/${folder}`).toBe(true);
    }
    expect(existsSync(join(unpacked, 'index.mjs.map'))).toBe(true);
  });

  it('keeps the extract and consumer bundles small and every function within Lambda limits', async () => {
    // prepare
    const built = EXPECTED.filter(({ app }) => !buildErrors.has(app));
    // act
    const sizes = await Promise.all(
      built.map(async ({ app, fn }) => ({ fn, bytes: (await stat(join(ROOT, 'dist/apps', app, fn, 'index.mjs'))).size })),
    );
    // assess
    expect(built).toHaveLength(EXPECTED.length);
    const size = (fn: string) => sizes.find((entry) => entry.fn === fn)!.bytes;
    expect(size('stream-consumer')).toBeLessThan(3 * 1024 * 1024);
    expect(size('extract')).toBeLessThan(5 * 1024 * 1024);
    for (const { bytes } of sizes) expect(bytes).toBeLessThan(20 * 1024 * 1024);
    const log = [...buildLogs.values()].join('');
    for (const { app, fn } of built) expect(log).toContain(`${app}/${fn}: index.mjs`);
  });
});


// No SQS or SSM emulator exists on npm: a loopback stub answers the calls the
// bundles make to them (SendMessageBatch, the Twitch credentials' read). S3 is s3rver, DynamoDB
// is dynalite, Helix is the simulator over HTTP; all run in this process and the bundles reach
// them through the SDK's standard endpoint variables. SNS is not called: no alert rules are set.
const NODE24_SUITE = 'Lambda bundles on Node 24 (the nodejs24.x runtime)';
const node24 = node24Gate(NODE24_SUITE);

describe.skipIf(node24.skip)(NODE24_SUITE, () => {
  const BUCKET = 'twitch-lake-node24';
  const TABLE = 'twitch_pipeline_node24_realtime';
  const SECRET_ARN = 'arn:aws:ssm:sa-east-1:123456789012:parameter/twitch-pipeline/test/twitch-credentials';
  const QUEUE_ARN = 'arn:aws:sqs:sa-east-1:123456789012:twitch-pipeline-events';
  // The scheduled time of the current cycle: the extract refuses to write a snapshot hours old.
  const COLLECTED_AT = new Date(Math.floor(Date.now() / 1_800_000) * 1_800_000);
  const services = {} as {
    s3: Awaited<ReturnType<typeof startS3Emulator>>;
    dynamo: Awaited<ReturnType<typeof startDynamoEmulator>>;
    stub: Awaited<ReturnType<typeof startAwsJsonStub>>;
    helix: Awaited<ReturnType<typeof startHelixSimulator>>;
  };
  const outcomes: { extract?: ExtractSummary; silver?: SilverOutput } = {};
  let node: string;
  let lake: S3ObjectStore;

  beforeAll(async () => {
    node = node24.binary();
    services.helix = await startHelixSimulator({ seed: 24, averageLiveChannels: 1500, startTime: COLLECTED_AT });
    const { clientId, clientSecret } = services.helix.credentials;
    services.stub = await startAwsJsonStub({ [SECRET_ARN]: JSON.stringify({ client_id: clientId, client_secret: clientSecret }) });
    services.s3 = await startS3Emulator();
    await services.s3.createBucket(BUCKET);
    services.dynamo = await startDynamoEmulator();
    await services.dynamo.createRealtimeTable(TABLE);
    lake = new S3ObjectStore(services.s3.client, BUCKET);
  });

  afterAll(async () => {
    await Promise.all([services.helix?.close(), services.stub?.close(), services.s3?.stop(), services.dynamo?.stop()]);
  });

  /** One function's folder, copied into an empty folder, run by Node 24 with Lambda's kind of environment. */
  async function invoke<T>(fn: (typeof EXPECTED)[number]['fn'], event: unknown) {
    const { app } = EXPECTED.find((expected) => expected.fn === fn)!;
    expect(buildErrors.get(app), `build of apps/${app}`).toBeUndefined();
    const task = await mkdtemp(join(sandbox, `${fn}-node24-`));
    await cp(join(ROOT, 'dist/apps', app, fn), join(task, 'task'), { recursive: true });
    await mkdir(join(task, 'tmp'));
    return invokeHandler<T>(node, join(task, 'task'), `twitch-pipeline-test-${fn}`, event, {
      ...LAMBDA_ENVIRONMENT,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_LAMBDA_FUNCTION_NAME: `twitch-pipeline-test-${fn}`,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_S3: services.s3.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: services.dynamo.endpoint,
      AWS_ENDPOINT_URL_SSM: services.stub.endpoint,
      // As in Lambda: the trace header of an unsampled request, so the tracer records nothing.
      LAMBDA_TASK_ROOT: join(task, 'task'),
      _X_AMZN_TRACE_ID: 'Root=1-674c8f00-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=0',
      AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
      // s3rver stores streamed uploads with their chunk framing unless checksums are only sent when required.
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
      NODE_OPTIONS: '--enable-source-maps',
      HOME: join(task, 'tmp'),
      TMPDIR: join(task, 'tmp'),
      // As the stack configures the functions that load DuckDB.
      ...(fn === 'stream-consumer' ? {} : DUCKDB_ALLOCATOR_ENVIRONMENT),
      LAKE_BUCKET: BUCKET,
      REALTIME_TABLE: TABLE,
      EVENTS_QUEUE_URL: `${services.stub.endpoint}/123456789012/twitch-pipeline-events`,
      TWITCH_API_URL: services.helix.apiUrl,
      TWITCH_AUTH_URL: services.helix.authUrl,
      PIPELINE_LANGUAGES: 'pt',
    });
  }

  it('extract: reads the secret, crawls Helix and lands the bronze snapshot in S3', async () => {
    // prepare
    const live = services.helix.liveStreams().filter((stream) => stream.language === 'pt').length;
    // act
    const { node: version, result } = await invoke<ExtractSummary>('extract', { collectedAt: COLLECTED_AT.toISOString() });
    outcomes.extract = result;
    // assess
    expect(version).toMatch(/^v24\./);
    expect(result).toMatchObject({ collectedAt: COLLECTED_AT.toISOString(), collected: live, written: live, quarantined: 0 });
    expect(live).toBeGreaterThan(0);
    expect(await lake.exists(result.bronzeKey)).toBe(true);
    expect(services.stub.parameterReads()).toBe(1);
  });

  it('publish: sends one event per bronze row to the queue', async () => {
    // prepare
    const extract = outcomes.extract;
    expect(extract, 'extract ran').toBeDefined();
    // act
    const { node: version, result } = await invoke<PublishSummary>('publish', { snapshotId: extract!.snapshotId, bronzeKey: extract!.bronzeKey });
    // assess
    const envelopes = services.stub.sentBodies().map((body) => JSON.parse(body) as { snapshot_id: string; events: unknown[] });
    expect(version).toMatch(/^v24\./);
    expect(result).toMatchObject({ bronzeRows: extract!.written, events: extract!.written, messages: envelopes.length });
    expect(envelopes.reduce((sum, envelope) => sum + envelope.events.length, 0)).toBe(extract!.written);
    expect(new Set(envelopes.map((envelope) => envelope.snapshot_id))).toEqual(new Set([extract!.snapshotId]));
  });

  it('stream-consumer: writes one SQS batch of those messages to DynamoDB', async () => {
    // prepare: a batch of up to 10 messages, the event source mapping's default
    const bodies = services.stub.sentBodies().slice(0, 10);
    expect(bodies.length, 'publish sent messages').toBeGreaterThan(0);
    const events = bodies.reduce((sum, body) => sum + (JSON.parse(body) as { events: unknown[] }).events.length, 0);
    // act
    const { node: version, result } = await invoke<SQSBatchResponse>('stream-consumer', sqsEvent(bodies, QUEUE_ARN));
    // assess
    const scan = await services.dynamo.client.send(new ScanCommand({ TableName: TABLE, Select: 'COUNT' }));
    expect(version).toMatch(/^v24\./);
    expect(result).toEqual({ batchItemFailures: [] });
    expect(scan.Count).toBe(events);
  });

  it('transform-silver: turns the bronze snapshot into silver with DuckDB', async () => {
    // prepare
    const extract = outcomes.extract;
    expect(extract, 'extract ran').toBeDefined();
    // act
    const { node: version, result } = await invoke<SilverOutput>('transform-silver', { bronzeKeys: [extract!.bronzeKey] });
    outcomes.silver = result;
    // assess
    expect(version).toMatch(/^v24\./);
    expect(result.failed).toEqual([]);
    expect(result).toMatchObject({ rowsIn: extract!.written, dates: expect.arrayContaining([extract!.dt]) });
    expect(result.rowsOut + result.quarantined).toBe(result.rowsIn);
    expect(result.rowsOut).toBeGreaterThan(0);
    expect(result.processed.keys).toEqual([extract!.bronzeKey]);
    expect(await lake.exists(silverKey(extract!.dt, extract!.snapshotId))).toBe(true);
  });

  it('transform-gold: rebuilds every gold table of the snapshot date', async () => {
    // prepare
    const extract = outcomes.extract;
    expect(outcomes.silver, 'silver ran').toBeDefined();
    // act
    const { node: version, result } = await invoke<GoldSummary>('transform-gold', { dates: [extract!.dt] });
    // assess
    const written = await lake.list('gold/');
    expect(version).toMatch(/^v24\./);
    expect(result.dates).toEqual([extract!.dt]);
    expect(Object.keys(result.tables).length).toBeGreaterThanOrEqual(4);
    for (const [table, rows] of Object.entries(result.tables)) {
      expect(rows, table).toBeGreaterThan(0);
      expect(written.map((object) => object.key)).toContain(`gold/${table}/dt=${extract!.dt}/part-0.parquet`);
    }
  });
});
