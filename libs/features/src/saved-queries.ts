import { isCalendarDate } from '@twitch-pipeline/schemas';
import { listSqlFiles, readSqlFile } from './sql-files';

/**
 * The type a saved query declares for a parameter (`-- param: name: integer | …`); `text` when
 * none is given. A `date` is a day of the calendar as YYYY-MM-DD; `date_or_latest` also takes
 * `latest`, which the query reads as its newest day.
 */
export type SavedQueryParameterType = 'text' | 'integer' | 'number' | 'date' | 'date_or_latest';

const PARAMETER_TYPES: readonly SavedQueryParameterType[] = ['text', 'integer', 'number', 'date', 'date_or_latest'];

/** One positional parameter (`?`) of a saved query, in order of appearance. */
export interface SavedQueryParameter {
  name: string;
  description: string;
  default?: string;
  type: SavedQueryParameterType;
}

/**
 * A parameter's former name (`-- deprecated param: channel -> login`), still taken for one release
 * so that a script written against it keeps working while it is told of the new one.
 */
export interface DeprecatedParameterName {
  name: string;
  replacement: string;
}

/** A saved query: portable SQL (DuckDB and Athena) over the lake's table names. */
export interface SavedQuery {
  name: string;
  description: string;
  sql: string;
  parameters: SavedQueryParameter[];
  deprecatedNames?: DeprecatedParameterName[];
}

const HEADER = /^--\s*(name|description|param|deprecated param):\s*(.*)$/;

/** A `-- deprecated param: old -> new` line: the old name must be none of the query's, the new one must be. */
function deprecatedName(file: string, value: string): DeprecatedParameterName {
  const match = /^([A-Za-z_]\w*)\s*->\s*([A-Za-z_]\w*)$/.exec(value.trim());
  if (!match) throw new Error(`saved query ${file}: a "-- deprecated param:" line must read "old_name -> new_name" (got "${value.trim()}")`);
  return { name: match[1]!, replacement: match[2]! };
}

/**
 * The `?` placeholders of a query's text, the way SQL reads it: a `?` in a comment (a description
 * asking a question), in a string literal (`'…'`, `E'…'`, `$$…$$`) or in a quoted name is none.
 */
function placeholderCount(text: string): number {
  let count = 0;
  const tokens = /--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|\$(\w*)\$[\s\S]*?(?:\$\1\$|$)|[eE]'(?:[^'\\]|\\.|'')*'?|'(?:[^']|'')*'?|"(?:[^"]|"")*"?|\?/g;
  for (const [token] of text.matchAll(tokens)) if (token === '?') count += 1;
  return count;
}

function parse(file: string, text: string): SavedQuery {
  let name = '';
  let description = '';
  const parameters: SavedQueryParameter[] = [];
  const deprecatedNames: DeprecatedParameterName[] = [];
  for (const line of text.split('\n')) {
    const match = HEADER.exec(line.trim());
    if (!match) continue;
    const [, field, value] = match as unknown as [string, string, string];
    if (field === 'name') name = value.trim();
    else if (field === 'description') description = value.trim();
    else if (field === 'deprecated param') deprecatedNames.push(deprecatedName(file, value));
    else {
      const parts = value.split('|').map((part) => part.trim());
      const [declared = '', paramDescription = '', fallback] = parts;
      const [paramName = '', typeName = 'text'] = declared.split(':').map((part) => part.trim());
      // A default holding "|" would be cut short in silence, and an unnamed parameter cannot be given.
      if (parts.length > 3) throw new Error(`saved query ${file}: parameter ${paramName} has more than "name | description | default" (a default cannot hold "|")`);
      if (!/^[A-Za-z_]\w*$/.test(paramName)) throw new Error(`saved query ${file}: a "-- param:" line names no parameter (got "${paramName}"): use letters, digits and _`);
      // A name may repeat (one value for two placeholders, e.g. a date filtering dt and data), but alike.
      const earlier = parameters.find((parameter) => parameter.name === paramName);
      if (earlier && (earlier.type !== typeName || earlier.default !== fallback)) {
        throw new Error(`saved query ${file}: parameter ${paramName} is declared again with another type or default`);
      }
      if (!PARAMETER_TYPES.includes(typeName as SavedQueryParameterType)) {
        throw new Error(`saved query ${file}: parameter ${paramName} has unknown type "${typeName}" (${PARAMETER_TYPES.join(', ')})`);
      }
      const type = typeName as SavedQueryParameterType;
      parameters.push({ name: paramName, description: paramDescription, type, ...(fallback === undefined ? {} : { default: fallback }) });
    }
  }
  if (!name || !description) throw new Error(`saved query ${file}: header needs "-- name:" and "-- description:"`);
  // The name is the file's, so that two files cannot share one and `--saved` runs the one named.
  if (`${name}.sql` !== file) throw new Error(`saved query ${file}: its "-- name: ${name}" must be its file name, ${file.replace(/\.sql$/, '')}`);
  for (const { name: old, replacement } of deprecatedNames) {
    if (parameters.some((parameter) => parameter.name === old)) throw new Error(`saved query ${file}: deprecated parameter name ${old} is still a parameter of its own`);
    if (!parameters.some((parameter) => parameter.name === replacement)) throw new Error(`saved query ${file}: deprecated parameter name ${old} stands for ${replacement}, which is no parameter`);
  }
  const placeholders = placeholderCount(text);
  if (placeholders !== parameters.length) {
    throw new Error(`saved query ${file}: ${placeholders} placeholders but ${parameters.length} "-- param:" lines`);
  }
  return { name, description, sql: text.trim(), parameters, ...(deprecatedNames.length > 0 ? { deprecatedNames } : {}) };
}

/** The saved queries that parse, and a line naming each file that does not and why. */
export interface SavedQueryFiles {
  queries: SavedQuery[];
  problems: string[];
}

/**
 * Every file under `queries/` read: the queries that parse, sorted by name, and the files that do
 * not. A malformed file (one a user is adding) leaves the others usable: the CLI names it and
 * goes on, where {@link savedQueries} refuses it.
 *
 * @example
 * const { queries, problems } = readSavedQueries();
 * for (const problem of problems) console.error(`note: ${problem}`);
 */
export function readSavedQueries(): SavedQueryFiles {
  const queries: SavedQuery[] = [];
  const problems: string[] = [];
  for (const file of listSqlFiles('queries')) {
    try {
      queries.push(parse(file, readSqlFile('queries', file)));
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return { queries: queries.sort((a, b) => a.name.localeCompare(b.name)), problems };
}

/**
 * Every saved query under `queries/`, sorted by name; throws naming every malformed file, so that
 * nothing deploys part of them (the data stack's Athena named queries, the tests). Parameters are
 * positional `?`, so the same text runs as a DuckDB prepared statement and as an Athena named
 * query (`EXECUTE ... USING`).
 *
 * @example
 * const query = savedQueries().find((q) => q.name === 'top_categories_by_hours')!;
 * const values = query.parameters.map((p) => p.default ?? '');
 */
export function savedQueries(): SavedQuery[] {
  const { queries, problems } = readSavedQueries();
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return queries;
}

/**
 * A parameter's value as its declared type: text stays text whatever it looks like (a channel
 * login `1234` is not a number), `integer` and `number` must be one as written, with no space
 * around it (as a date must). Throws naming the parameter and its type otherwise.
 *
 * @example
 * typedParameterValue({ name: 'min_minutes', description: '', type: 'integer' }, '120'); // 120
 * typedParameterValue({ name: 'channel', description: '', type: 'text' }, '1234'); // '1234'
 */
export function typedParameterValue(parameter: SavedQueryParameter, text: string): string | number {
  // In the lake's one spelling (NFC): a name typed with "é" finds one Twitch sent decomposed.
  if (parameter.type === 'text') return text.normalize('NFC');
  if (parameter.type === 'date' || parameter.type === 'date_or_latest') {
    // A query reading a bad date as no date at all would answer for another day without a word.
    if (isCalendarDate(text) || (parameter.type === 'date_or_latest' && text === 'latest')) return text;
    const expected = parameter.type === 'date' ? 'a date as YYYY-MM-DD' : 'a date as YYYY-MM-DD or "latest"';
    throw new Error(`parameter ${parameter.name} must be ${expected} (got "${text}")`);
  }
  const pattern = parameter.type === 'integer' ? /^-?\d+$/ : /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
  const value = Number(text);
  if (!pattern.test(text) || !Number.isFinite(value) || (parameter.type === 'integer' && !Number.isSafeInteger(value))) {
    throw new Error(`parameter ${parameter.name} must be ${parameter.type === 'integer' ? 'a whole number' : 'a number'} (got "${text}")`);
  }
  return value;
}

/**
 * Values for a saved query's parameters: the given ones by name, defaults for the rest.
 * Throws naming every parameter that has neither.
 *
 * @example
 * savedQueryValues(query, { login: 'gaules' }); // ['gaules', '2000-01-01', '2100-12-31']
 */
export function savedQueryValues(query: SavedQuery, given: Readonly<Record<string, string>> = {}): string[] {
  // Own keys only: a parameter named `constructor` must not find the object's prototype.
  const givenValue = (name: string) => (Object.hasOwn(given, name) ? given[name] : undefined);
  const missing = query.parameters.filter((p) => givenValue(p.name) === undefined && p.default === undefined);
  if (missing.length > 0) {
    throw new Error(`saved query ${query.name}: missing ${missing.map((p) => p.name).join(', ')}`);
  }
  return query.parameters.map((p) => givenValue(p.name) ?? p.default ?? '');
}
