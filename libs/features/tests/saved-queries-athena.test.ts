import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import { type SavedQuery, savedQueries } from '../src/index';

// Athena runs Trino SQL; DuckDB runs the same files locally. The grammar check is dt-sql-parser's
// Trino grammar (syntax only: it does not know which functions exist). Positional `?` parameters
// are part of that grammar (prepared statements), so the text is checked exactly as deployed.
const trino = new TrinoSQL();

function trinoSyntaxErrors(sql: string): string[] {
  return trino.validate(sql).map((error) => `line ${error.startLine}:${error.startColumn} ${error.message}`);
}

/** The SQL without comments, so a commented-out word never counts as a filter. */
function body(sql: string): string {
  return sql
    .split('\n')
    .map((line) => line.replace(/--.*$/, ''))
    .join('\n');
}

const LAKE_RELATION = /\b(?:FROM|JOIN)\s+((?:silver|gold)_\w+)/gi;
const DT_RANGE = /\bdt\s+(?:BETWEEN\s+\?\s+AND\s+\?|>=\s*\?\s+AND\s+dt\s+<=\s*\?|=\s*\?)/gi;
/**
 * A day the query takes: declared `date`, or a text parameter so described. A `date_or_latest`
 * may be "latest", which no `dt` predicate can take: such a query reads every partition.
 */
const isDateParameter = (parameter: SavedQuery['parameters'][number]) =>
  parameter.type === 'date' || (parameter.type === 'text' && /YYYY-MM-DD/.test(parameter.description));

/**
 * Why a saved query would make Athena list and read every `dt` partition of a silver or gold
 * table although it asks for a date range: each such table read needs a `dt` predicate whose
 * placeholders are date parameters, in a WHERE without OR (an OR keeps every partition).
 */
function partitionFilterProblems(query: SavedQuery): string[] {
  const sql = body(query.sql);
  const relations = [...sql.matchAll(LAKE_RELATION)].map((match) => match[1]!);
  const takesDates = query.parameters.some(isDateParameter);
  if (relations.length === 0 || !takesDates) return [];
  const problems: string[] = [];
  const filters = [...sql.matchAll(DT_RANGE)];
  if (filters.length < relations.length) {
    problems.push(`${query.name} reads ${relations.join(', ')} for the dates it takes but filters dt ${filters.length} time(s)`);
  }
  for (const filter of filters) {
    const before = (sql.slice(0, filter.index).match(/\?/g) ?? []).length;
    const placeholders = (filter[0].match(/\?/g) ?? []).length;
    const bound = query.parameters.slice(before, before + placeholders);
    if (!bound.every(isDateParameter)) {
      problems.push(`${query.name}: "${filter[0]}" is bound to ${bound.map((parameter) => parameter.name).join(', ')}, not to dates`);
    }
  }
  if (/\bOR\b/i.test(sql)) problems.push(`${query.name} has an OR beside its dt filter`);
  return problems;
}

function withSql(query: SavedQuery, sql: string): SavedQuery {
  return { ...query, sql };
}

const queries = savedQueries();
const rangeQueries = queries.filter((query) => query.parameters.some(isDateParameter) && [...body(query.sql).matchAll(LAKE_RELATION)].length > 0);

describe('saved queries on Athena: Trino grammar', () => {
  it.each(queries.map((query) => [query.name, query] as const))('%s parses as Trino SQL', (_name, query) => {
    // act
    const errors = trinoSyntaxErrors(query.sql);
    // assess
    expect(errors).toEqual([]);
  });

  it('rejects the DuckDB-only constructs a saved query might slip in: ::, QUALIFY, EXCLUDE', () => {
    // prepare
    const source = queries.find((query) => /CAST\(\? AS DATE\)/.test(query.sql) && /\bORDER BY\b/.test(query.sql))!;
    const variants = {
      '::': source.sql.replace('CAST(? AS DATE)', '?::DATE'),
      QUALIFY: source.sql.replace(/\bORDER BY\b/, 'QUALIFY ROW_NUMBER() OVER (ORDER BY 1) = 1\nORDER BY'),
      EXCLUDE: `SELECT * EXCLUDE (dt) FROM (${source.sql.replace(/\bLIMIT \d+\s*$/, '')})`,
    };
    // act
    const errors = Object.fromEntries(Object.entries(variants).map(([construct, sql]) => [construct, trinoSyntaxErrors(sql)]));
    // assess
    expect(trinoSyntaxErrors(source.sql)).toEqual([]);
    for (const [construct, found] of Object.entries(errors)) expect(found.length, `${construct} accepted`).toBeGreaterThan(0);
  });
});

describe('saved queries on Athena: partition pruning', () => {
  it('finds the saved queries that take a date range over silver or gold', () => {
    // act
    const names = rangeQueries.map((query) => query.name);
    // assess
    expect(names).toEqual(expect.arrayContaining(['top_categories_by_hours', 'hourly_viewers_for_channel', 'best_times']));
  });

  it.each(queries.map((query) => [query.name, query] as const))('%s filters dt wherever it reads a date range', (_name, query) => {
    // act
    const problems = partitionFilterProblems(query);
    // assess
    expect(problems).toEqual([]);
  });

  it('flags a date-range query that filters only the data column, binds dt to a non-date, or ORs the filter away', () => {
    // prepare
    const source = queries.find((query) => query.name === 'hourly_viewers_for_channel')!;
    const dataOnly = withSql(source, source.sql.replace(/\n\s*AND dt BETWEEN \? AND \?/, ''));
    const swapped = { ...source, parameters: [source.parameters[1]!, source.parameters[0]!, ...source.parameters.slice(2)] };
    const ored = withSql(source, source.sql.replace('AND dt BETWEEN ? AND ?', 'AND (dt BETWEEN ? AND ? OR TRUE)'));
    // act
    const problems = [dataOnly, swapped, ored].map(partitionFilterProblems);
    // assess
    expect(partitionFilterProblems(source)).toEqual([]);
    expect(problems[0]).toEqual([`hourly_viewers_for_channel reads silver_streams for the dates it takes but filters dt 0 time(s)`]);
    expect(problems[1]!.join('\n')).toMatch(/bound to login, last_date, not to dates/);
    expect(problems[2]!.join('\n')).toMatch(/has an OR/);
  });

  it('flags a query whose dates are declared `date` but described otherwise, and one that takes a single day', () => {
    // prepare: a range and a single day over gold, each filtering only the data column
    const parameter = (name: string) => ({ name, description: 'First or last day, inclusive', type: 'date' as const });
    const range: SavedQuery = {
      name: 'language_hours',
      description: 'Hours watched per language between two days.',
      sql: 'SELECT idioma, sum(horas_assistidas) AS horas FROM gold_idiomas_periodo WHERE data BETWEEN CAST(? AS DATE) AND CAST(? AS DATE) GROUP BY idioma',
      parameters: [parameter('first_date'), parameter('last_date')],
    };
    const day: SavedQuery = { ...range, name: 'language_hours_of_a_day', sql: 'SELECT idioma FROM gold_idiomas_periodo WHERE data = CAST(? AS DATE)', parameters: [parameter('day')] };
    // act
    const problems = [range, day].map(partitionFilterProblems);
    // assess
    expect(problems).toEqual([
      ['language_hours reads gold_idiomas_periodo for the dates it takes but filters dt 0 time(s)'],
      ['language_hours_of_a_day reads gold_idiomas_periodo for the dates it takes but filters dt 0 time(s)'],
    ]);
  });
});
