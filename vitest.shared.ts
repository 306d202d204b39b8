import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineProject, mergeConfig, type UserWorkspaceConfig } from 'vitest/config';

// Vite, which runs the tests, cannot load modules from a folder whose path holds "#" (it reads
// the rest as a URL fragment; upstream calls that expected, vitejs/vite#6763), and then fails
// with "Failed to load custom Reporter" and a stack trace. Say what to do instead.
const CLONE = dirname(fileURLToPath(import.meta.url));
if (CLONE.includes('#')) {
  throw new Error(
    `the tests cannot run from ${CLONE}: Vite, which runs them, cannot load modules from a path that holds "#". ` +
      'Clone or move the repository to a folder without "#" (the twitch-pipeline commands themselves run from anywhere).',
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

/** Environment every test process gets: quiet AWS SDK and Powertools, never real credentials. */
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
