/**
 * Raised when DynamoDB still leaves items unprocessed after every allowed retry.
 *
 * @example
 * await table.putItems(items).catch((error) => {
 *   // Rethrown: the message is delivered again, and its items rewrite the same keys.
 *   if (error instanceof UnprocessedItemsError) console.error(`${error.unprocessed} of ${error.total} items unwritten`);
 *   throw error;
 * });
 */
export class UnprocessedItemsError extends Error {
  constructor(
    readonly unprocessed: number,
    readonly total: number,
    readonly requests: number,
  ) {
    super(`${unprocessed} of ${total} items still unprocessed after ${requests} BatchWriteItem requests`);
    this.name = 'UnprocessedItemsError';
  }
}
