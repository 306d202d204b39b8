import { createPublishHandler } from './publish-handler';

/** The publish Lambda: `{ snapshotId, bronzeKey }` in, the publish summary out. */
export const handler = createPublishHandler();
