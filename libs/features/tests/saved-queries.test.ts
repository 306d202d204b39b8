import { describe, expect, it } from 'vitest';
import { savedQueries, savedQueryValues, typedParameterValue } from '../src/index';

// Syntax DuckDB accepts but Athena (Trino) does not; the saved queries must run on both.
const DUCKDB_ONLY: [string, RegExp][] = [
  ['"::" casts', /::/],
  ['$name parameters', /\$\w/],
  ['QUALIFY', /\bqualify\b/i],
  ['ILIKE', /\bilike\b/i],
  ['GROUP BY ALL / ORDER BY ALL', /\b(group|order)\s+by\s+all\b/i],
  ['EXCLUDE / REPLACE star modifiers', /\*\s*(exclude|replace)\b/i],
  ['list and struct functions', /\b(list_\w+|struct_pack|unnest)\s*\(/i],
  ['string concatenation with ||', /\|\|/],
  ['DuckDB table functions', /\bread_(parquet|csv|json)\b/i],
];

/**
 * The functions a saved query may call: each exists in DuckDB and in Athena's Trino with the same
 * meaning. The grammar checks cannot tell a function DuckDB alone has (`median`, `strftime`,
 * `string_agg`), which would run locally and fail on Athena: a function not listed here fails
 * the test, to be checked in Trino's documentation and added.
 */
const SHARED_FUNCTIONS = new Set([
  'abs', 'avg', 'cast', 'ceil', 'coalesce', 'count', 'dense_rank', 'floor', 'lag', 'lead', 'length', 'lower', 'max', 'min',
  'min_by', 'nullif', 'rank', 'round', 'row_number', 'sum', 'trim', 'try_cast', 'upper',
  // Alike only as the queries call it: on dates, in days (in hours DuckDB counts the hour
  // boundaries crossed, Trino whole hours). greatest and least are not listed: DuckDB skips a
  // NULL argument where Trino returns NULL.
  'date_diff',
]);

/** SQL words a parenthesis may follow that are not function calls. */
const NOT_FUNCTIONS = new Set(['and', 'as', 'decimal', 'exists', 'filter', 'from', 'in', 'not', 'or', 'over', 'select', 'using', 'values', 'varchar', 'when', 'where']);

/** The functions `sql` calls that DuckDB and Trino are not known to share. */
function unsharedFunctions(sql: string): string[] {
  const called = [...sql.matchAll(/\b([a-z_][a-z0-9_]*)\s*\(/gi)].map((match) => match[1]!.toLowerCase());
  return [...new Set(called)].filter((name) => !SHARED_FUNCTIONS.has(name) && !NOT_FUNCTIONS.has(name)).sort();
}

const LAKE_TABLES = ['bronze_streams', 'silver_streams', 'gold_streams_diario', 'gold_streamers_diario', 'gold_categorias_diario', 'gold_idiomas_periodo'];

describe('saved queries', () => {
  it.each(savedQueries().map((query) => [query.name, query] as const))('%s is portable SQL over the lake tables', (_name, query) => {
    // act
    const body = query.sql
      .split('\n')
      .filter((line) => !line.trim().startsWith('--'))
      .join('\n');

    // assess
    for (const [construct, pattern] of DUCKDB_ONLY) expect(pattern.test(body), `${query.name} uses ${construct}`).toBe(false);
    expect(unsharedFunctions(body), `${query.name} calls functions not known to exist in both DuckDB and Athena (Trino)`).toEqual([]);
    expect(LAKE_TABLES.some((table) => body.includes(table)) || /\bgold_\w+/.test(body)).toBe(true);
    expect(query.description.length, `${query.name}: its "-- description:" is too short to say what it answers`).toBeGreaterThan(10);
  });

  it('names a channel by its login as `login` in every query that takes one, the old name only as deprecated', () => {
    // prepare
    const queries = savedQueries();

    // act
    const byChannel = queries.filter((query) => query.parameters.some((parameter) => /channel login/i.test(parameter.description)));
    const names = byChannel.map((query) => [query.name, query.parameters.find((parameter) => /channel login/i.test(parameter.description))!.name]);
    const hourly = queries.find((query) => query.name === 'hourly_viewers_for_channel')!;

    // assess
    expect(byChannel.length).toBeGreaterThan(5);
    expect(names.filter(([, name]) => name !== 'login')).toEqual([]);
    expect(hourly.deprecatedNames).toEqual([{ name: 'channel', replacement: 'login' }]);
  });

  it('names the functions DuckDB has and Athena (Trino) does not', () => {
    // prepare
    const sql = "SELECT median(horas_assistidas), strftime(max(data), '%Y-%m'), string_agg(idioma, ','), ROUND(SUM(amostras)) FROM gold_idiomas_periodo WHERE idioma IN ('pt')";
    // act
    const unshared = unsharedFunctions(sql);
    // assess
    expect(unshared).toEqual(['median', 'strftime', 'string_agg']);
  });

  it('fills positional values from names and defaults, and names what is missing', () => {
    // prepare
    const query = savedQueries().find((q) => q.name === 'hourly_viewers_for_channel')!;

    // act
    const values = savedQueryValues(query, { login: 'gaules', last_date: '2026-11-30' });

    // assess
    expect(values).toEqual(['gaules', '2000-01-01', '2026-11-30', '2000-01-01', '2026-11-30']);
    expect(() => savedQueryValues(query)).toThrow(/missing login/);
  });

  it('keeps the type each parameter declares: text unless the header says otherwise', () => {
    // prepare
    const declared = Object.fromEntries(savedQueries().flatMap((query) => query.parameters.map((parameter) => [`${query.name}.${parameter.name}`, parameter])));
    const minutes = declared['top_streamers_by_average_viewers.min_minutes']!;
    const channel = declared['hourly_viewers_for_channel.login']!;
    // act
    const bound = [typedParameterValue(minutes, '120'), typedParameterValue(channel, '1234')];
    // assess
    expect([minutes.type, channel.type]).toEqual(['integer', 'text']);
    expect(bound).toEqual([120, '1234']);
    expect(() => typedParameterValue(minutes, '1e3x')).toThrow('parameter min_minutes must be a whole number (got "1e3x")');
    expect(() => typedParameterValue(minutes, ' 5')).toThrow('parameter min_minutes must be a whole number (got " 5")');
    expect(() => typedParameterValue({ ...minutes, type: 'number' }, '2.5\n')).toThrow(/must be a number/);
    expect(() => typedParameterValue({ ...minutes, type: 'number' }, 'NaN')).toThrow(/must be a number/);
  });

  it('binds a text value in the composed Unicode spelling the lake keeps', () => {
    // prepare: "é" as e + combining accent, as some keyboards and pastes give it
    const category = { name: 'category', description: 'Category', type: 'text' as const };
    // act
    const bound = typedParameterValue(category, 'Cafe\u0301 Talk');
    // assess
    expect(bound).toBe('Caf\u00e9 Talk');
  });

  it('takes only days of the calendar for its dates, and "latest" where a query reads it', () => {
    // prepare: every date a query takes is declared one, so none reads a bad date as no date
    const parameters = savedQueries().flatMap((query) => query.parameters.map((parameter) => ({ ...parameter, query: query.name })));
    const dates = parameters.filter((parameter) => /date|^day$/.test(parameter.name));
    const day = dates.find((parameter) => parameter.query === 'rising_categories' && parameter.name === 'day')!;
    const first = dates.find((parameter) => parameter.name === 'first_date')!;

    // act
    const bound = [typedParameterValue(day, 'latest'), typedParameterValue(day, '2028-02-29'), typedParameterValue(first, '2026-11-29')];

    // assess
    expect(dates.length).toBeGreaterThan(20);
    expect(dates.filter((parameter) => !parameter.type.startsWith('date'))).toEqual([]);
    expect(bound).toEqual(['latest', '2028-02-29', '2026-11-29']);
    expect(() => typedParameterValue(day, '31/12/2026')).toThrow('parameter day must be a date as YYYY-MM-DD or "latest" (got "31/12/2026")');
    expect(() => typedParameterValue(day, '2026-02-30')).toThrow(/must be a date/);
    expect(() => typedParameterValue(day, '')).toThrow(/must be a date/);
    expect(() => typedParameterValue(first, 'latest')).toThrow('parameter first_date must be a date as YYYY-MM-DD (got "latest")');
  });
});
