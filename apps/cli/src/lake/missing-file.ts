/**
 * DuckDB's messages for a file a query named or listed when it was planned and did not find
 * when it read: an explicit path (`read_parquet([...])`) and a file of a glob that went between
 * the listing and the read.
 */
const MISSING_FILE = [/No files found that match the pattern "(.+?)"/, /Cannot open file "(.+?)": No such file or directory/];

/**
 * The path of the file a failed DuckDB query found missing, or undefined for any other failure.
 *
 * @example
 * missingFileOf(new Error('IO Error: No files found that match the pattern "/lake/a.parquet"')); // '/lake/a.parquet'
 */
export function missingFileOf(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : '';
  for (const pattern of MISSING_FILE) {
    const path = pattern.exec(message)?.[1];
    if (path !== undefined) return path;
  }
  return undefined;
}
