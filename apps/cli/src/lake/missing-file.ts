import { pathOfDuckdbLiteral } from '@twitch-pipeline/schemas';

/**
 * DuckDB's messages for a file a query named or listed when it was planned and did not find
 * when it read: an explicit path (`read_parquet([...])`, named as the pattern the views wrote,
 * see `duckdbLiteralPath`) and a file of a glob that went between the listing and the read.
 */
const MISSING_PATTERN = /No files found that match the pattern "(.+?)"/;
const MISSING_FILE = /Cannot open file "(.+?)": No such file or directory/;

/**
 * The path of the file a failed DuckDB query found missing, or undefined for any other failure.
 *
 * @example
 * missingFileOf(new Error('IO Error: No files found that match the pattern "/lake/a.parquet"')); // '/lake/a.parquet'
 */
export function missingFileOf(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : '';
  const pattern = MISSING_PATTERN.exec(message)?.[1];
  return pattern === undefined ? MISSING_FILE.exec(message)?.[1] : pathOfDuckdbLiteral(pattern);
}
