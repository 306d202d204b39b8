import stringWidth from 'string-width';

/** A result set: column names and rows of display-ready values. */
export interface ResultSet {
  columns: string[];
  rows: unknown[][];
}

const MAX_CELL = 48;

/** ESC sequences: CSI (`ESC [ … final`), OSC/DCS/PM/APC strings (ended by BEL or `ESC \`), and two-byte escapes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|[\]PX^_][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\^_`a-~])/g;
/** C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a terminal shows. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text safe to print on a terminal: escape sequences and control characters removed (a value
 * from the lake or a queue could otherwise move the cursor, recolour or retitle the terminal),
 * whitespace runs folded to one space.
 *
 * @example
 * terminalSafe('red\u001b[31m text\n'); // 'red text'
 */
export function terminalSafe(text: string): string {
  return text.replace(/\s+/g, ' ').replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}

/**
 * Text of several lines safe to print on a terminal: escape sequences and control characters
 * removed from each line, and tabs made spaces, but its line breaks and spacing kept (DuckDB
 * points at a column of the SQL with a caret under it). For messages that quote what a server, a
 * file or an argument held.
 *
 * @example
 * terminalSafeLines('refused: \u001b]0;pwned\u0007ok\n  ^'); // 'refused: ok\n  ^'
 */
export function terminalSafeLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/\t/g, ' ').replace(ESCAPE_SEQUENCE, '').replace(CONTROL, ''))
    .join('\n');
}

/**
 * A number as the table shows it: whole ones as they are, fractions to two decimals, except one
 * that would read as 0 (or -0), which keeps two significant digits (0.0042, 1e-10).
 */
function numberText(value: number): string {
  if (value === 0) return '0';
  if (Number.isInteger(value) || !Number.isFinite(value)) return value.toLocaleString('en-US');
  const rounded = value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return /^-?0$/.test(rounded) ? String(Number(value.toPrecision(2))) : rounded;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'object') return terminalSafe(JSON.stringify(value));
  return terminalSafe(String(value));
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * The columns a cell takes as printed, after the space that opens it: a cell starting with a lone
 * emoji modifier or combining mark joins that space into one character, which string-width then
 * measures otherwise than the cell alone.
 */
function shownWidth(text: string): number {
  return stringWidth(` ${text}`) - 1;
}

/**
 * A cell at most MAX_CELL columns wide on a terminal, cut with `…` between whole characters as
 * they show: an emoji with its skin tone or joined family, a flag, a letter with its accent.
 * Widths are the terminal's (string-width: East Asian wide characters and emoji take two), not
 * UTF-16 code units, which split a surrogate pair and put every CJK row out of line.
 */
function truncate(text: string): string {
  if (stringWidth(text) <= MAX_CELL) return text;
  let kept = '';
  let width = 0;
  for (const { segment } of graphemes.segment(text)) {
    const next = stringWidth(segment);
    if (width + next > MAX_CELL - 1) break;
    kept += segment;
    width += next;
  }
  return `${kept}…`;
}

/**
 * A boxed, aligned text table (numbers right-aligned, long cells cut with `…`) of the first
 * `maxRows` rows, and a count of `totalRows`: the rows given, unless the caller kept only the
 * first ones of a longer result (or stopped counting it, `{ moreThan }`).
 *
 * @example
 * io.out(formatTable({ columns: ['a'], rows: [[1]] }));
 */
export function formatTable(result: ResultSet, maxRows = Number.POSITIVE_INFINITY, totalRows: number | { moreThan: number } = result.rows.length): string {
  const shown = result.rows.slice(0, maxRows);
  const cells = shown.map((row) => row.map((value) => truncate(cellText(value))));
  const numeric = result.columns.map((_, index) => shown.length > 0 && shown.every((row) => row[index] === null || typeof row[index] === 'number'));
  // Not Math.max(...cells): spread into arguments, a few hundred thousand rows overflow the stack.
  const widths = result.columns.map((name, index) => cells.reduce((width, row) => Math.max(width, shownWidth(row[index]!)), shownWidth(terminalSafe(name))));
  const pad = (text: string, index: number) => {
    const fill = ' '.repeat(widths[index]! - shownWidth(text));
    return numeric[index] ? `${fill}${text}` : `${text}${fill}`;
  };
  const rule = (left: string, middle: string, right: string) => `${left}${widths.map((width) => '─'.repeat(width + 2)).join(middle)}${right}`;
  const columns = result.columns.map(terminalSafe);
  const lines = [
    rule('┌', '┬', '┐'),
    `│ ${columns.map((name, index) => pad(name, index)).join(' │ ')} │`,
    rule('├', '┼', '┤'),
    ...cells.map((row) => `│ ${row.map((text, index) => pad(text, index)).join(' │ ')} │`),
    rule('└', '┴', '┘'),
  ];
  const hidden = typeof totalRows === 'number' ? totalRows - shown.length : Number.POSITIVE_INFINITY;
  const count =
    typeof totalRows === 'number'
      ? `${totalRows.toLocaleString('en-US')} row${totalRows === 1 ? '' : 's'}`
      : `more than ${totalRows.moreThan.toLocaleString('en-US')} rows`;
  lines.push(hidden > 0 ? `${count} (first ${shown.length} shown; use --max-rows or --format csv for all)` : count);
  return `${lines.join('\n')}\n`;
}

/**
 * First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). Its
 * source is also the pattern DuckDB's `regexp_matches` applies to the CSV files `query --out` writes.
 */
export const CSV_FORMULA_START = /^[=+\-@\t\r]/;

/** NaN and the infinities as DuckDB's CSV writer spells them, not as JavaScript does (`NaN`, `-Infinity`). */
function nonFiniteCsv(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  return value > 0 ? 'inf' : '-inf';
}

function csvField(value: unknown, text: boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : nonFiniteCsv(value);
  if (typeof value === 'bigint') return String(value);
  const raw = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A leading quote makes the spreadsheet show the text as it is instead of evaluating it.
  const guarded = text && typeof value === 'string' && CSV_FORMULA_START.test(raw) ? `'${raw}` : raw;
  // Empty text is quoted so that it reads apart from a missing value (NULL, an empty cell).
  return guarded === '' || /[",\n\r]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/**
 * RFC 4180 CSV with a header line. Text cells starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return get a leading `'` (OWASP's CSV-injection guard), so a title such as
 * `=HYPERLINK(…)` opens as text in a spreadsheet; numbers stay numbers. `textColumns` tells which
 * columns hold text (see `isCsvText`): a number too wide for a JS number comes as its digits, a
 * date as `-infinity`, and neither is text; without it, every string is. A missing value is an
 * empty cell, empty text `""`, as DuckDB's CSV writer has them.
 *
 * @example
 * formatCsv({ columns: ['a', 'b'], rows: [[1, 'x,y']] }); // 'a,b\n1,"x,y"\n'
 * formatCsv({ columns: ['t'], rows: [['=1+1'], [-3]] }); // "t\n'=1+1\n-3\n"
 * formatCsv({ columns: ['n'], rows: [['-170141183460469231731687303715884105727']] }, [false]); // 'n\n-1701…727\n'
 */
export function formatCsv(result: ResultSet, textColumns?: readonly boolean[]): string {
  return `${result.columns.map((name) => csvField(name, true)).join(',')}\n${formatCsvLines(result.rows, textColumns)}`;
}

/**
 * Rows as CSV lines, with no header: the lines {@link formatCsv} prints after its header, for
 * a result written a chunk at a time.
 *
 * @example
 * formatCsvLines([[1, 'x,y']]); // '1,"x,y"\n'
 */
export function formatCsvLines(rows: readonly unknown[][], textColumns?: readonly boolean[]): string {
  return rows.map((row) => `${row.map((value, index) => csvField(value, textColumns?.[index] ?? true)).join(',')}\n`).join('');
}

/**
 * Column names made distinct as DuckDB's writers make them (`a`, `a_1`, …): a JSON object or a
 * Parquet schema needs them so. DuckDB's identifiers ignore case, so `a` and `A` are one name to
 * it: its JSON writer refuses a struct holding both.
 *
 * @example
 * distinctNames(['a', 'a', 'A', 'b']); // ['a', 'a_1', 'A_2', 'b']
 */
export function distinctNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    let distinct = name;
    for (let suffix = 1; taken.has(distinct.toLowerCase()); suffix += 1) distinct = `${name}_${suffix}`;
    taken.add(distinct.toLowerCase());
    return distinct;
  });
}

/**
 * Rows as an array of objects keyed by column name; a repeated name is told apart as DuckDB's
 * JSON writer tells it (`a`, `a_1`), so no value is lost.
 *
 * @example
 * rowObjects({ columns: ['a', 'a'], rows: [[1, 2]] }); // [{ a: 1, a_1: 2 }]
 */
export function rowObjects(result: ResultSet): Record<string, unknown>[] {
  const names = distinctNames(result.columns);
  return result.rows.map((row) => Object.fromEntries(names.map((name, index) => [name, row[index]])));
}
