import { projectConfig } from '../../vitest.shared';

export default projectConfig('infra-pipeline');
