import { defineConfig } from 'vitest/config';
import { testEnv } from './vitest.shared.ts';

// The root config lists every project, so a bare `vitest run` at the root runs them all.
export default defineConfig({
  test: {
    projects: ['apps/*/vitest.config.ts', 'libs/*/vitest.config.ts', 'infra/*/vitest.config.ts', 'tools/*/vitest.config.ts'],
    reporters: ['default', './tools/scripts/summary-reporter.ts'],
    env: testEnv,
  },
});
