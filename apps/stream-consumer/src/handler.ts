import { createConsumerHandler } from './consumer-handler';

/** The stream consumer Lambda: an SQS batch in, `{ batchItemFailures }` out. */
export const handler = createConsumerHandler();
