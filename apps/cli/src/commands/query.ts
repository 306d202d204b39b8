import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Command, type CommandInput, PROGRAM } from '../cli/command';
import { CliError, usageError } from '../cli/errors';
import { makeFolderOf, removeMadeFolders } from '../cli/export-folder';
import { JsonArrayWriter, jsonForTerminal, sizeText, toJson } from '../cli/io';
import { OutputClosedError } from '../cli/output-closed-error';
import { OutputFailedError } from '../cli/output-failed-error';
import { formatCsv, formatCsvLines, formatTable, type ResultSet, rowObjects, terminalSafeLines } from '../cli/table';
import { isCsvText } from '../lake/csv-text-types';
import { emptyLakeHint } from '../lake/empty-lake';
import { exportPrepared, inUsersLines } from '../lake/error-in-users-lines';
import { LakeSession } from '../lake/lake-session';
import { NotAQueryError } from '../lake/not-a-query-error';
import { asSubquery, type ExportFormat, ExportWriteError } from '../lake/query-export';
import { bindSavedParameters, findSavedQuery, listSavedQueries, noRowsNote } from '../lake/saved';
import { exportTargetOf, type Format, formatOf, maxRowsOf } from './query-options';

/** Rows a table counts (or `--max-rows`, when more) before it says "more than": a preview, not an export. */
const TABLE_COUNT_LIMIT = 100_000;

/**
 * Prints a query's result as `--out FILE.csv|FILE.json` would hold it, byte for byte: DuckDB's
 * own writer (six to twelve times the rows per second of formatting each value here) writes it
 * to a temporary file, which is then copied to stdout. Nothing is printed before the query has
 * finished, so a query that fails, on whichever row, prints nothing (a streamed DuckDB result
 * cannot tell a failure from its end). False, printing nothing, for SQL that cannot be read as
 * a subquery (PRAGMA, EXPLAIN, several statements), which {@link print} formats value by value.
 */
async function printExport(input: CommandInput, session: LakeSession, sql: string, params: unknown[] | undefined, format: 'csv' | 'json'): Promise<boolean> {
  if (!(await isSubquery(session, sql))) return false;
  const file = join(tmpdir(), `${PROGRAM}-query-${process.pid}-${randomUUID()}.${format}`);
  await exportPrepared(session, sql, params, file, format);
  const handle = await open(file);
  // Removed while still open: the handle reads on, and a process killed while printing leaves nothing behind.
  await rm(file, { force: true });
  // On a terminal the text is made safe chunk by chunk (a character split between chunks decodes whole).
  const decoder = new TextDecoder();
  const shown = (bytes: Buffer) => (format === 'csv' ? terminalSafeLines(decoder.decode(bytes, { stream: true })) : jsonForTerminal(decoder.decode(bytes, { stream: true })));
  try {
    for await (const bytes of handle.createReadStream({ autoClose: false })) {
      input.io.out(input.io.outputIsTerminal ? shown(bytes as Buffer) : (bytes as Buffer));
      await input.io.drained();
    }
  } finally {
    await handle.close();
  }
  return true;
}

/** Whether `sql` is one query that can be read as a subquery (a SELECT, not a PRAGMA or several statements). */
async function isSubquery(session: LakeSession, sql: string): Promise<boolean> {
  return session.queryColumns(asSubquery(sql)).then(
    () => true,
    (error) => {
      if (error instanceof NotAQueryError) return false;
      throw error;
    },
  );
}

/**
 * Formats the result value by value: a table keeps its first `--max-rows` rows and counts the
 * rest up to its count limit; csv and json come here only for SQL that cannot be a subquery
 * (PRAGMA, EXPLAIN, several statements), whose results are small. A table of no rows is followed
 * on stderr by why the lake may hold none, or else by `noRows`.
 */
async function print(input: CommandInput, session: LakeSession, sql: string, params: unknown[] | undefined, format: Format, maxRows: number, noRows: string | undefined): Promise<void> {
  if (format !== 'table' && (await printExport(input, session, sql, params, format))) return;
  const countLimit = Math.max(TABLE_COUNT_LIMIT, maxRows);
  // A table shows a preview: the query runs only as far as the rows it counts.
  const preview = format === 'table' && (await isSubquery(session, sql));
  const previewSql = preview ? `SELECT * FROM (\n${asSubquery(sql)}\n) LIMIT ${countLimit + 1}` : sql;
  const chunks = session.queryChunks(previewSql, params);
  if (format === 'csv') {
    let header = true;
    for await (const chunk of chunks) {
      const textColumns = chunk.types.map(isCsvText);
      const text = header ? formatCsv({ columns: chunk.columns, rows: chunk.rows() }, textColumns) : formatCsvLines(chunk.rows(), textColumns);
      input.io.out(input.io.outputIsTerminal ? terminalSafeLines(text) : text);
      header = false;
      await input.io.drained();
    }
  } else if (format === 'json') {
    const array = new JsonArrayWriter((text) => input.io.out(text));
    for await (const chunk of chunks) {
      for (const object of rowObjects({ columns: chunk.columns, rows: chunk.rows() })) array.element(object);
      await input.io.drained();
    }
    array.close();
  } else {
    const kept: ResultSet = { columns: [], rows: [] };
    let total = 0;
    try {
      for await (const chunk of chunks) {
        kept.columns = chunk.columns;
        if (kept.rows.length < maxRows) for (const row of chunk.rows().slice(0, maxRows - kept.rows.length)) kept.rows.push(row);
        total += chunk.rowCount;
      }
    } catch (error) {
      // isSubquery prepared the SQL alone: what fails now is a value, in the preview's lines.
      throw preview ? inUsersLines(error) : error;
    }
    input.io.out(formatTable(kept, maxRows, total > countLimit ? { moreThan: countLimit } : total));
    const hint = total === 0 ? ((await emptyLakeHint(input.config().dataDir)) ?? noRows) : undefined;
    if (hint) input.io.err(`  ${hint}\n`);
  }
}

function exported(input: CommandInput, file: string, format: ExportFormat, result: { rows: number; bytes: number }): number {
  if (input.json) input.io.out(toJson({ file, format, ...result }));
  else input.io.out(`${result.rows.toLocaleString('en-US')} row${result.rows === 1 ? '' : 's'} written to ${file} (${format}, ${sizeText(result.bytes)})\n`);
  return 0;
}

function viewList(): string {
  return LakeSession.views.map((view) => view.name).join(', ');
}

async function list(input: CommandInput, session: LakeSession): Promise<number> {
  const views = [];
  for (const view of LakeSession.views) {
    const counted = await session.query(`SELECT count(*) AS n FROM ${view.name}`);
    views.push({ ...view, rows: Number(counted.rows[0]?.[0] ?? 0) });
  }
  const saved = listSavedQueries((text) => input.io.err(text));
  if (input.json) {
    input.io.out(toJson({ views, saved }));
    return 0;
  }
  const width = Math.max(...views.map((view) => view.name.length)) + 2;
  const countWidth = Math.max(9, ...views.map((view) => view.rows.toLocaleString('en-US').length));
  const lines = ['Views (rows now):'];
  for (const view of views) lines.push(`  ${view.name.padEnd(width)}${view.rows.toLocaleString('en-US').padStart(countWidth)}  ${view.description}`);
  lines.push('', `Saved queries (${PROGRAM} query --saved NAME [--param name=value …]):`);
  for (const query of saved) {
    lines.push(`  ${query.name}`, `      ${query.description}`);
    // A parameter bound twice (a date filtering both dt and data) is listed once.
    for (const parameter of query.parameters.filter((p, index, all) => all.findIndex((other) => other.name === p.name) === index)) {
      const fallback = parameter.default === undefined ? ' (required)' : ` (default ${parameter.default})`;
      const type = parameter.type === 'text' ? '' : ` (${parameter.type})`;
      lines.push(`      --param ${parameter.name}=…  ${parameter.description}${type}${fallback}`);
      for (const former of query.deprecatedNames?.filter((entry) => entry.replacement === parameter.name) ?? []) {
        lines.push(`        (--param ${former.name}=… is still taken for it in this release, not in the next)`);
      }
    }
  }
  input.io.out(`${lines.join('\n')}\n`);
  return 0;
}

function sqlOf(input: CommandInput): string {
  const [sql] = input.positionals;
  if (sql === undefined || sql.trim() === '') {
    throw usageError('give the SQL to run, --saved NAME or --list', `${PROGRAM} query --help`);
  }
  return sql === '-' ? readFileSync(0, 'utf8') : sql;
}

/** `query`: SQL over DuckDB views of the local lake and the real-time table. */
export const queryCommand: Command = {
  name: 'query',
  usage: [
    'query "SQL" [--format table|csv|json]',
    'query "SQL" --out FILE.csv|FILE.json|FILE.parquet',
    'query --saved NAME [--param name=value …]',
    'query --list',
    'query - < file.sql',
  ],
  details:
    'Views: one per lake layer (bronze_streams, silver_streams, quarantine_streams) and per gold table\n' +
    '(gold_…), each with a dt DATE partition column, plus realtime_events and alerts; `query --list` names\n' +
    'them all with their row counts.\n' +
    'A layer with no objects yet is an empty view with the right columns. Saved-query parameters are bound,\n' +
    'never spliced into the SQL: give them as --param name=value, or as --param value in order.\n' +
    '--out writes the whole result to a file with DuckDB\'s own writer (much faster than printing it), and\n' +
    'the file appears only once the query has finished: a query that fails leaves no file behind.',
  options: {
    saved: { type: 'string', value: 'NAME', description: 'run a saved query (see --list)' },
    param: { type: 'string', multiple: true, value: 'name=value', description: 'a saved-query parameter; repeat for several' },
    list: { type: 'boolean', short: 'l', description: 'list the views (with row counts) and the saved queries' },
    format: { type: 'string', short: 'f', value: 'FORMAT', description: 'table (default), csv or json; with --out: csv, json or parquet (default: from FILE\'s extension)' },
    out: { type: 'string', short: 'o', value: 'FILE', description: 'write the whole result to FILE (csv, json or parquet), whole or not at all' },
    'max-rows': { type: 'string', value: 'N', description: 'rows a table shows (default 100; csv, json and --out hold all, and refuse it)' },
  },
  positionals: [{ name: 'SQL', description: 'the query to run, quoted as one argument; "-" reads it from stdin', spaced: true, dashed: true }],
  examples: [
    `${PROGRAM} query "SELECT nome_categoria, sum(horas_assistidas) AS horas FROM gold_categorias_diario GROUP BY 1 ORDER BY 2 DESC LIMIT 10"`,
    `${PROGRAM} query --saved top_streamers_by_average_viewers --param min_minutes=120 --format csv`,
    `${PROGRAM} query "SELECT * FROM gold_streamers_diario" --out streamers.parquet`,
    `${PROGRAM} query --list`,
  ],
  async run(input) {
    const out = input.values.out as string | undefined;
    if (input.values.list) {
      // Dropped in silence, they would leave a script waiting for a file or a result that never comes.
      const ignored = [
        input.positionals.length > 0 && 'SQL',
        input.values.saved !== undefined && '--saved',
        out !== undefined && '--out',
        input.values.format !== undefined && '--format',
        input.values['max-rows'] !== undefined && '--max-rows',
      ];
      const given = ignored.filter((flag): flag is string => typeof flag === 'string');
      if (given.length > 0) throw usageError(`--list prints the views and saved queries, and takes no ${given.join(', ')} (only --json)`, `${PROGRAM} query --help`);
    }
    const output = out === undefined ? { print: formatOf(input) } : await exportTargetOf(input, out);
    const savedName = input.values.saved as string | undefined;
    const maxRows = maxRowsOf(input, output, savedName !== undefined);
    const params = (input.values.param as string[] | undefined) ?? [];
    if (params.length > 0 && !savedName) throw usageError('--param only applies to --saved queries', `${PROGRAM} query --help`);
    // Read as SQL it would be dropped in silence, and the query would run with its defaults.
    if (savedName && input.positionals.length > 0) {
      throw usageError(`--saved takes its values as --param name=value or --param value, not as the argument "${input.positionals[0]}"`, `${PROGRAM} query --list`);
    }
    if (input.values.list) {
      const session = await LakeSession.open(input.config().dataDir, { warn: (text) => input.io.err(text) });
      return await list(input, session).finally(() => session.close());
    }
    const saved = savedName === undefined ? undefined : findSavedQuery(savedName);
    const sql = saved ? saved.sql : sqlOf(input);
    const bound = saved ? bindSavedParameters(saved, params, (text) => input.io.err(text)) : undefined;
    // Only the views the SQL reads are listed and checked: a query of one gold table need not open a year of silver.
    const session = await LakeSession.open(input.config().dataDir, { warn: (text) => input.io.err(text), reads: [sql] });
    try {
      if (!saved) {
        if (!(await session.holdsStatement(sql))) throw usageError('the SQL holds no statement: only blanks, comments or semicolons', `${PROGRAM} query --help`);
        const placeholders = await session.placeholderCount(sql);
        if (placeholders > 0) {
          throw usageError(
            `the SQL holds ${placeholders === 1 ? 'a parameter placeholder' : `${placeholders} parameter placeholders`} (?, $1 or $name): only saved queries take parameters (--saved NAME --param name=value); write the values into the SQL`,
            `${PROGRAM} query --list`,
          );
        }
      }
      const madeFolder = 'file' in output ? await makeFolderOf(output.file) : undefined;
      const removeMade = () => {
        if (madeFolder !== undefined && 'file' in output) removeMadeFolders(output.file, madeFolder);
      };
      try {
        if ('file' in output) {
          // Alone, the SQL's own errors (syntax, a name) are told in its lines, before the export wraps it.
          await session.queryColumns(asSubquery(sql));
          return exported(input, output.file, output.format, await exportPrepared(session, sql, bound, output.file, output.format, removeMade));
        }
        await print(input, session, sql, bound, output.print, maxRows, saved ? noRowsNote(saved, params) : undefined);
      } catch (error) {
        removeMade();
        if (error instanceof OutputClosedError || error instanceof OutputFailedError) throw error;
        if (error instanceof NotAQueryError) throw usageError(`cannot export this: ${error.message}`, `${PROGRAM} query --help`);
        // Not the query's fault: the views hint would mislead (a full disk is told apart by reportError).
        if (error instanceof ExportWriteError) throw error;
        throw new CliError(`query failed: ${(error as Error).message}`, {
          hint: `views you can query: ${viewList()}\nsee their columns with: ${PROGRAM} query "DESCRIBE silver_streams"`,
        });
      }
      return 0;
    } finally {
      await session.close();
    }
  },
};
