import { projectConfig } from '../../vitest.shared.ts';

// The graph checks start Nx several times; each start reads the whole workspace.
export default projectConfig('tools-scripts', { test: { testTimeout: 120_000 } });
