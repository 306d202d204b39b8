/** Raised when DynamoDB still leaves items unprocessed after every allowed retry. */
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
