import { exportQuery } from './query-export';

/** DuckDB's pointer into a failed statement: `LINE n: ` and that line, then a caret under the character. */
const ERROR_LINE = /^LINE (\d+): (.*)\n( *)\^/m;

/**
 * An error of a statement that holds the user's SQL from its second line on (`SELECT … FROM (\n…\n)`,
 * whose newline ends a trailing line comment), with DuckDB's `LINE n:` counted in the user's SQL
 * and the caret still under the same character. The error itself is kept (its class tells the
 * caller what failed), its message corrected.
 *
 * @example
 * inUsersLines(error); // the same error, its `LINE 3:` now `LINE 2:`
 */
export function inUsersLines(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  error.message = error.message.replace(ERROR_LINE, (whole, line: string, text: string, indent: string) => {
    const users = Number(line) - 1;
    // The first line is the statement's own, none of the user's.
    if (users < 1) return whole;
    return `LINE ${users}: ${text}\n${indent.slice(line.length - String(users).length)}^`;
  });
  return error;
}

/**
 * {@link exportQuery} of SQL that was prepared alone first, so that its syntax and binding errors
 * were told in the user's lines already: what fails now fails in the export's COPY, which holds
 * the SQL from its second line on.
 *
 * @example
 * const { rows, bytes } = await exportPrepared(session, 'SELECT * FROM gold_streamers_diario', undefined, 'streamers.csv', 'csv');
 */
export function exportPrepared(...args: Parameters<typeof exportQuery>): ReturnType<typeof exportQuery> {
  return exportQuery(...args).catch((error: unknown) => {
    throw inUsersLines(error);
  });
}
