import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES } from '../src/config';
import { FUNCTION_APPS } from '../src/functions';

// Builds every Lambda app with the real bundler (what `nx build` runs), copies each function's
// folder into an empty temporary directory outside the workspace, and loads it there with a
// plain `node`: an import that needs anything not shipped in the folder fails.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
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
  TWITCH_SECRET_ARN: 'arn:aws:secretsmanager:sa-east-1:123456789012:secret:twitch-AbCdEf',
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

