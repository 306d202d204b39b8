import { loadConfig } from '@twitch-pipeline/schemas';
import { openLocalRuntime } from '../../src/runtime/local-runtime';
import { useTemporaryDataDirs } from './cli-process';

/**
 * A real local runtime in a fresh data directory (UTC), each removed after the file's tests.
 *
 * @example
 * const freshRuntime = useFreshRuntimes();
 * const { config, runtime } = await freshRuntime();
 */
export function useFreshRuntimes() {
  const temporaryDataDir = useTemporaryDataDirs();
  return async () => {
    const config = loadConfig({ PIPELINE_DATA_DIR: await temporaryDataDir(), PIPELINE_TIMEZONE: 'UTC' });
    const { runtime } = await openLocalRuntime(config);
    return { config, runtime };
  };
}
