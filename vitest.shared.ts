import { defineProject, mergeConfig, type UserWorkspaceConfig } from 'vitest/config';

/** Environment every test process gets: quiet AWS SDK and Powertools, never real credentials. */
export const testEnv: Record<string, string> = {
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
        testTimeout: 30_000,
        hookTimeout: 60_000,
      },
    }),
    overrides,
  );
}
