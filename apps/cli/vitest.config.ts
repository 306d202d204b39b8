import { projectConfig } from '../../vitest.shared.ts';

// End-to-end tests run the CLI as a subprocess over a simulated population: allow them time.
export default projectConfig('cli', { test: { testTimeout: 180_000, hookTimeout: 240_000 } });
