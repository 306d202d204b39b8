import { createExtractHandler } from './extract-handler';

/** The extract Lambda: `{ collectedAt?: string }` in, the snapshot's summary out. */
export const handler = createExtractHandler();
