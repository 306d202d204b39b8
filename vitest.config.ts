import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { testEnv } from './vitest.shared.ts';

// The root config lists every project, so a bare `vitest run` at the root runs them all.
export default defineConfig({
  test: {
    projects: ['apps/*/vitest.config.ts', 'libs/*/vitest.config.ts', 'infra/*/vitest.config.ts', 'tools/*/vitest.config.ts'],
    reporters: ['default', './tools/scripts/summary-reporter.ts'],
    // Vitest's default is one worker fewer than the cores, one on a 2-core machine, where many
    // test files mostly wait on the processes, servers, browser and real clock they start: two
    // workers there took the suite from 695 to 547 s, every test passing, and one more than the
    // cores lets a file that waits (a collector's real minute, a browser) overlap two that compute.
    maxWorkers: availableParallelism() + 1,
    env: testEnv,
  },
});
