/**
 * Raised when a value cannot be stored in its column; names the row, the column and the value's type.
 *
 * @example
 * try {
 *   appender.append(row);
 * } catch (error) {
 *   if (error instanceof RowAppendError) console.error(`row ${error.rowIndex} does not fit column ${error.column}`);
 *   throw error;
 * }
 */
export class RowAppendError extends Error {
  constructor(
    readonly rowIndex: number,
    readonly column: string,
    reason: string,
  ) {
    super(`row ${rowIndex}, column ${column}: ${reason}`);
    this.name = 'RowAppendError';
  }
}
