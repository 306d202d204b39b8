/** Raised for SQL that is not exactly one statement returning rows (a query to export). */
export class NotAQueryError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NotAQueryError';
  }
}
