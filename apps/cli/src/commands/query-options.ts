import { access, constants, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { type CommandInput, PROGRAM } from '../cli/command';
import { CliError, usageError } from '../cli/errors';
import { writeTargetOf } from '../cli/temporary-beside';
import { EXPORT_FORMATS, type ExportFormat, exportFormatOfPath, exportNameProblem } from '../lake/query-export';

const PRINTED_FORMATS = ['table', 'csv', 'json'] as const;
export type Format = (typeof PRINTED_FORMATS)[number];

/**
 * The format `query` prints in: `--format`, or json for `--json`, by default a table; parquet,
 * which only a file holds, is refused here.
 *
 * @example
 * formatOf(input); // 'csv' for `query "SELECT 1" --format csv`
 */
export function formatOf(input: CommandInput): Format {
  const given = input.values.format as string | undefined;
  if (input.json && given !== undefined && given !== 'json') throw usageError(`--json prints JSON: give it or --format ${given}, not both`, `${PROGRAM} query --help`);
  if (input.json) return 'json';
  const format = given ?? 'table';
  if (format === 'parquet') throw usageError('--format parquet writes a file: give it with --out FILE', `${PROGRAM} query --help`);
  if (!PRINTED_FORMATS.includes(format as Format)) {
    throw usageError(`--format prints ${PRINTED_FORMATS.join(', ')} (got "${format}"); parquet is written to a file with --out FILE`, `${PROGRAM} query --help`);
  }
  return format as Format;
}

/**
 * The file and format of `--out`: the format given, else the one the file's extension names.
 *
 * @example
 * await exportTargetOf(input, 'streamers.parquet'); // { file: resolve('streamers.parquet'), format: 'parquet' }
 */
export async function exportTargetOf(input: CommandInput, out: string): Promise<{ file: string; format: ExportFormat }> {
  if (out.trim() === '') throw usageError('--out needs a file name', `${PROGRAM} query --help`);
  const given = input.values.format as string | undefined;
  const format = given ?? exportFormatOfPath(out);
  if (format === undefined) {
    // `top.parquet.gz` and `rows.csv.bz2` name a format before a suffix no export writes: "give --format" would only be refused in turn.
    const beforeSuffix = exportFormatOfPath(out.slice(0, out.length - extname(out).length));
    const misnamed = beforeSuffix && exportNameProblem(out, beforeSuffix);
    if (misnamed) throw usageError(`--out ${out}: ${misnamed}`, `${PROGRAM} query --help`);
    throw usageError(`cannot tell the format of "${out}" from its name: end it in .${EXPORT_FORMATS.join(', .')} or give --format`, `${PROGRAM} query --help`);
  }
  if (!EXPORT_FORMATS.includes(format as ExportFormat)) {
    throw usageError(`--out writes ${EXPORT_FORMATS.join(', ')} (got --format ${format})`, `${PROGRAM} query --help`);
  }
  const misnamed = exportNameProblem(out, format as ExportFormat);
  if (misnamed !== undefined) throw usageError(`--out ${out} --format ${format}: ${misnamed}`, `${PROGRAM} query --help`);
  const path = resolve(out);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw usageError(`--out ${path} is a folder, but the result is written to a file: give a file name, such as ${join(out, `result.${format}`)}`, `${PROGRAM} query --help`);
  }
  // The file is replaced by a rename: a device, pipe or socket there would be replaced, not written to.
  if (existing && !existing.isFile()) throw new CliError(`cannot write ${path}: it is not a regular file (--out writes files; print with --format csv|json instead)`);
  // A link to a file is followed, so the file it points to is the one replaced.
  const file = await writeTargetOf(path);
  // A missing folder is made once the query is known to run (see makeFolderOf).
  const folder = await stat(dirname(file)).catch(() => undefined);
  if (folder && !folder.isDirectory()) throw new CliError(`cannot write ${file}: ${dirname(file)} is not a folder`);
  if (folder && !(await access(dirname(file), constants.W_OK).then(() => true, () => false))) throw new CliError(`cannot write ${file}: its folder is not writable`);
  return { file, format: format as ExportFormat };
}

/**
 * The rows a table shows: `--max-rows`, at least 1. Refused beside `--out`, csv and json, which
 * hold every row: dropped there in silence, it would hand a script far more rows than it asked for.
 *
 * @example
 * maxRowsOf(input, { print: 'table' }, false); // 100 when --max-rows is not given
 */
export function maxRowsOf(input: CommandInput, output: { print: Format } | { file: string }, saved: boolean): number {
  const text = input.values['max-rows'] as string | undefined;
  if (text === undefined) return 100;
  const value = Number(text);
  // Digits only: Number() also reads '', 0x10 and 1e21, and the count goes into the preview's LIMIT.
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value === 0) {
    throw usageError(`--max-rows must be a positive whole number (got "${text}")`, `${PROGRAM} query --help`);
  }
  if ('print' in output && output.print === 'table') return value;
  const whole = 'file' in output ? '--out writes' : `${input.json ? '--json' : `--format ${output.print}`} prints`;
  const instead = saved ? 'leave --max-rows out' : `add LIMIT ${value} to the SQL instead`;
  throw usageError(`--max-rows sets how many rows a table shows; ${whole} every row: ${instead}`, `${PROGRAM} query --help`);
}
