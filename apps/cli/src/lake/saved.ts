import { readSavedQueries, type SavedQuery, type SavedQueryParameter, typedParameterValue } from '@twitch-pipeline/features';
import { PROGRAM } from '../cli/command';
import { CliError, usageError } from '../cli/errors';
import { terminalSafe } from '../cli/table';

/**
 * The saved queries that parse, for `query --list`; `warn` is told of each file that does not,
 * which leaves the others usable.
 *
 * @example
 * listSavedQueries((text) => io.err(text)).map((q) => q.name);
 */
export function listSavedQueries(warn: (text: string) => void): SavedQuery[] {
  const { queries, problems } = readSavedQueries();
  for (const problem of problems) warn(`note: ${problem}; the other saved queries are listed\n`);
  return queries;
}

/**
 * The saved query of that name, or a {@link CliError} listing the names there are (and, when
 * its own file is malformed, why).
 *
 * @example
 * const saved = findSavedQuery('top_streamers');
 */
export function findSavedQuery(name: string): SavedQuery {
  const { queries: all, problems } = readSavedQueries();
  const found = all.find((query) => query.name === name);
  if (!found) {
    const malformed = problems.find((problem) => problem.startsWith(`saved query ${name}.sql:`));
    if (malformed) throw new CliError(malformed, { exitCode: 2, hint: `correct that file under libs/features/queries/` });
    throw new CliError(`no saved query named "${name}"`, {
      exitCode: 2,
      hint: `saved queries: ${all.map((query) => query.name).join(', ')} (details: ${PROGRAM} query --list)`,
    });
  }
  return found;
}

/**
 * Why an integer parameter's value, written as one, is past what it binds as (a safe integer), or
 * undefined: told as "not a whole number", 20 digits would send the user looking for a typo.
 */
function outOfRange(parameter: SavedQueryParameter, text: string): string | undefined {
  if (parameter.type !== 'integer' || !/^-?\d+$/.test(text) || Number.isSafeInteger(Number(text))) return undefined;
  const [side, bound] = text.startsWith('-') ? ['small', 'at least -'] : ['large', 'at most '];
  return `parameter ${parameter.name} is too ${side} (got "${text}"; ${bound}${Number.MAX_SAFE_INTEGER})`;
}

/**
 * The value written for each parameter, by name or bare in order (a former name standing for its
 * parameter, of which `warn` is told), the parameters the bare values went to, and how many bare
 * values were left over; a parameter not given is absent, for its default.
 */
function givenValues(saved: SavedQuery, given: string[], warn: (text: string) => void): { byName: Map<string, string>; bare: string[]; leftOver: number } {
  const byName = new Map<string, string>();
  const inOrder: string[] = [];
  const names = new Set(saved.parameters.map((parameter) => parameter.name));
  for (const text of given) {
    const equals = text.indexOf('=');
    const written = equals > 0 ? text.slice(0, equals) : undefined;
    const deprecated = saved.deprecatedNames?.find((entry) => entry.name === written);
    if (deprecated) {
      warn(`note: saved query "${saved.name}": --param ${deprecated.name}=… is now --param ${deprecated.replacement}=…; ${deprecated.name}= is still taken in this release, not in the next\n`);
    }
    const name = deprecated ? deprecated.replacement : written;
    if (name !== undefined && names.has(name) && byName.has(name)) {
      throw usageError(`saved query "${saved.name}": --param ${name} was given more than once`, `${PROGRAM} query --list`);
    }
    if (name !== undefined && names.has(name)) byName.set(name, text.slice(equals + 1));
    else if (name !== undefined && /^[a-z_][a-z0-9_]*$/i.test(name)) {
      throw usageError(`saved query "${saved.name}" has no parameter "${name}" (it has: ${[...names].join(', ') || 'none'})`, `${PROGRAM} query --list`);
    } else inOrder.push(text);
  }
  // A parameter used twice (a date bound to both dt and data) takes one bare value, not two.
  const bare: string[] = [];
  for (const parameter of saved.parameters) {
    if (byName.has(parameter.name) || inOrder.length === 0) continue;
    byName.set(parameter.name, inOrder.shift()!);
    bare.push(parameter.name);
  }
  return { byName, bare, leftOver: inOrder.length };
}

/**
 * The positional values of a saved query's `?` placeholders, from `name=value` or bare values
 * given in order, falling back to each parameter's default. Each value has the type its query
 * declares (text unless a `-- param: name: integer` line says otherwise), never one guessed from
 * how it looks: `login=1234` binds the text `'1234'`. A parameter's former name (`-- deprecated
 * param:`) binds the parameter it stands for, and `warn` is told to use the new one.
 *
 * @example
 * bindSavedParameters(saved, ['min_minutes=120']); // [..., 120]
 */
export function bindSavedParameters(saved: SavedQuery, given: string[], warn: (text: string) => void = () => {}): unknown[] {
  const { byName, bare, leftOver } = givenValues(saved, given, warn);
  const values = saved.parameters.map((parameter) => {
    const value = byName.get(parameter.name) ?? parameter.default;
    if (value === undefined) {
      // A bare value meant for this parameter went to one before it in the query's order: say where.
      const boundInOrder = bare.length > 0 ? `; values given without a name bind in order, so ${bare.map((name) => `${name}="${terminalSafe(byName.get(name)!)}"`).join(', ')}` : '';
      throw usageError(`saved query "${saved.name}" needs --param ${parameter.name}=… (${parameter.description})${boundInOrder}`, `${PROGRAM} query --list`);
    }
    const problem = outOfRange(parameter, value);
    if (problem) throw usageError(`saved query "${saved.name}": ${problem}`, `${PROGRAM} query --list`);
    try {
      return typedParameterValue(parameter, value);
    } catch (error) {
      throw usageError(`saved query "${saved.name}": ${(error as Error).message}`, `${PROGRAM} query --list`);
    }
  });
  if (leftOver > 0) throw usageError(`too many --param values for "${saved.name}"`, `${PROGRAM} query --list`);
  const problem = reversedRange(saved, values);
  if (problem) throw usageError(`saved query "${saved.name}": ${problem}`, `${PROGRAM} query --list`);
  return values;
}

/**
 * Why a range of days ends before it begins, or undefined: `BETWEEN` over such a range holds no
 * day, so the query would print an empty table as though the lake had nothing in those days.
 */
function reversedRange(saved: SavedQuery, values: unknown[]): string | undefined {
  const dayOf = (name: string) => values[saved.parameters.findIndex((parameter) => parameter.name === name && parameter.type === 'date')];
  const [first, last] = [dayOf('first_date'), dayOf('last_date')];
  // Days written as YYYY-MM-DD compare as text in calendar order.
  if (typeof first !== 'string' || typeof last !== 'string' || first <= last) return undefined;
  return `first_date ${first} is after last_date ${last}, so the range holds no day (give the earlier day as first_date)`;
}

/**
 * What a saved query that found no rows was asked for: each text value given, with how its
 * parameter matches, since a name in another case than the lake's (a display name for a login,
 * `just chatting`) or a language as `PT` where a query matches it exactly finds nothing, without any error.
 * With no text value, the days given instead, since a day the lake does not hold finds nothing
 * just as silently. Undefined when neither was given.
 *
 * @example
 * noRowsNote(channelSummary, ['login=Gaules']); // 'no rows for login "Gaules": Channel login (lower-case)'
 * noRowsNote(risingStreamers, ['day=2020-01-01']); // 'no rows for day "2020-01-01": Day (YYYY-MM-DD), or …'
 */
export function noRowsNote(saved: SavedQuery, given: string[]): string | undefined {
  const { byName } = givenValues(saved, given, () => {});
  const givenOnce = (types: readonly SavedQueryParameter['type'][]) =>
    saved.parameters.filter((parameter, index, all) => types.includes(parameter.type) && byName.has(parameter.name) && all.findIndex((other) => other.name === parameter.name) === index);
  const texts = givenOnce(['text']);
  const described = (texts.length > 0 ? texts : givenOnce(['date', 'date_or_latest'])).map(
    (parameter) => `${parameter.name} "${terminalSafe(byName.get(parameter.name)!)}": ${parameter.description}`,
  );
  if (described.length <= 1) return described.length === 0 ? undefined : `no rows for ${described[0]}`;
  return `no rows for the values given:\n${described.map((line) => `    ${line}`).join('\n')}`;
}
