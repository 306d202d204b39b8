/** Raised when a value cannot be stored in its column; names the row, the column and the value's type. */
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
