import { defineConfig } from 'vitest/config';
import { testEnv } from './vitest.shared.ts';

// Vitest 4 has no workspace files: this root config lists every project and is passed with --config.
export default defineConfig({
  test: {
    projects: ['apps/*/vitest.config.ts', 'libs/*/vitest.config.ts', 'infra/*/vitest.config.ts', 'tools/*/vitest.config.ts'],
    reporters: ['default', './tools/scripts/summary-reporter.ts'],
    env: testEnv,
  },
});
