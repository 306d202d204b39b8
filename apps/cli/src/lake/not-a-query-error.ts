/**
 * Raised for SQL that is not exactly one statement returning rows (a query to export).
 *
 * @example
 * const exportable = await session.queryColumns('SELECT 1; SELECT 2').then(
 *   () => true,
 *   (error) => {
 *     if (error instanceof NotAQueryError) return false; // 'expected one query, found 2 statements'
 *     throw error;
 *   },
 * );
 */
export class NotAQueryError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NotAQueryError';
  }
}
