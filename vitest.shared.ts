import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineProject, mergeConfig, type UserWorkspaceConfig } from 'vitest/config';

// Vite, which runs the tests, cannot load modules from a folder whose path holds "#" (it reads
// the rest as a URL fragment; upstream calls that expected, vitejs/vite#6763), and then fails
// with "Failed to load custom Reporter" and a stack trace; nor from one whose path holds "%",
// which it decodes as a URL escape: `100% done` failed every test that imports a package with
// "URIError: URI malformed", and `a%20b` looked for its modules in `a b`. Say what to do instead.
const CLONE = dirname(fileURLToPath(import.meta.url));
const UNLOADABLE = /[#%]/.exec(CLONE)?.[0];
if (UNLOADABLE) {
  throw new Error(
    `the tests cannot run from ${CLONE}: Vite, which runs them, cannot load modules from a path that holds "${UNLOADABLE}". ` +
      `Clone or move the repository to a folder without "#" or "%" (the twitch-pipeline commands themselves run from anywhere).`,
  );
}

/**
 * The temporary folder of every test process and of what it starts (the CLI, DuckDB's spill
 * files, the browser): its name holds a space, an apostrophe, a non-ASCII letter and brackets,
 * as a user's home or temp folder may, so a path spliced unquoted into SQL or a command line, or
 * a folder read by DuckDB as a file pattern (where `[a]` matches only `a`), fails here. A single
 * file's path that matches nothing as a pattern DuckDB reads as written, so a test of a pattern
 * matching a folder beside it needs a plainer folder. Not `*` or `?`:
 * Vite, which runs the tests, cannot load modules from such a path. One private folder per run
 * (another user's run cannot share it), removed when the run ends.
 */
const TEST_TMPDIR = sharedTestTmpdir();

/**
 * Vitest loads this module once per project config (each bundled on its own), so the folder is
 * kept on a process-wide symbol: one folder and one exit listener per run, not one per project.
 */
function sharedTestTmpdir(): string {
  const key = Symbol.for('twitch-pipeline.test-tmpdir');
  const shared = globalThis as unknown as Record<symbol, string | undefined>;
  if (shared[key] === undefined) {
    const folder = mkdtempSync(join(tmpdir(), "twitch-pipeline tests (Zoë's) [a] "));
    process.on('exit', () => rmSync(folder, { recursive: true, force: true }));
    shared[key] = folder;
  }
  return shared[key];
}

/**
 * The pipeline's own settings (README's configuration table), as a shell used for a deploy or
 * a real run may still export them: the tests are written for their defaults, and they pass the
 * environment on to the commands they start, so `PIPELINE_LANGUAGES=en` or `PIPELINE_TIMEZONE=UTC`
 * left in the shell failed tests that had nothing wrong. Removed for the whole run; a test that
 * needs one sets it itself.
 */
export const PIPELINE_SETTING =
  /^(PIPELINE_\w+|TWITCH_\w+|LAKE_BUCKET|EVENTS_QUEUE_URL|EVENTS_DLQ_URL|REALTIME_TABLE|REALTIME_TTL_HOURS|QUEUE_MAX_RECEIVES|QUEUE_VISIBILITY_TIMEOUT_SECONDS|ALERT_RULES_FILE|ALERT_RULES|ALERTS_TOPIC_ARN)$/;

/**
 * A forward proxy of the user's shell: every server the tests talk to is on this machine, and
 * Node 24 with `NODE_USE_ENV_PROXY=1` (or `--use-env-proxy`) sends even a call to 127.0.0.1
 * through the proxy unless `NO_PROXY` names it, so every HTTP test failed. A test of the proxy
 * sets its own.
 */
export const PROXY_SETTING = /^(https?_proxy|no_proxy|all_proxy)$/i;

/**
 * The AWS SDK prefers a named profile to the key pair of `testEnv`, so an `AWS_PROFILE` of the
 * shell (an SSO profile, or one this machine does not have) left the code that builds its own
 * clients against the emulators without credentials.
 */
export const AWS_PROFILE_SETTING = /^AWS_(DEFAULT_)?PROFILE$/;

// Vitest builds each test process's environment from this process's when the run starts.
for (const name of Object.keys(process.env)) {
  if (PIPELINE_SETTING.test(name) || PROXY_SETTING.test(name) || AWS_PROFILE_SETTING.test(name)) delete process.env[name];
}

/**
 * Environment every test process gets: quiet AWS SDK and Powertools, never real credentials.
 * The emulators (s3rver, dynalite) are custom endpoints, which the SDK refuses to combine with
 * FIPS or dual-stack endpoints, so a user's `AWS_USE_FIPS_ENDPOINT=true` (or `use_fips_endpoint`
 * in their AWS config file) is turned off here.
 */
export const testEnv: Record<string, string> = {
  TMPDIR: TEST_TMPDIR,
  TEMP: TEST_TMPDIR,
  TMP: TEST_TMPDIR,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_DEV: 'true',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_USE_FIPS_ENDPOINT: 'false',
  AWS_USE_DUALSTACK_ENDPOINT: 'false',
};

/**
 * One project's vitest settings: its name, its `tests/` folder and the shared test environment.
 *
 * @example
 * export default projectConfig('schemas');
 */
export function projectConfig(name: string, overrides: UserWorkspaceConfig = {}) {
  return mergeConfig(
    defineProject({
      test: {
        name,
        include: ['tests/**/*.test.ts'],
        env: testEnv,
        // A guard against hangs, not a speed check (benchmarks under tools/bench measure speed):
        // many tests start CLI processes, engines and emulators, and on a busy or slow machine
        // they take two to three times as long (a silver crash test of 10-13 s passed 30 s).
        testTimeout: 60_000,
        hookTimeout: 90_000,
      },
    }),
    overrides,
  );
}
