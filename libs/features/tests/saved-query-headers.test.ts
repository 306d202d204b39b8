import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const folders: string[] = [];

afterEach(async () => {
  vi.unstubAllEnvs();
  vi.resetModules();
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

/** The saved queries of a features folder holding only `files`, as a data engineer adding one would have it. */
async function savedQueriesOf(files: Record<string, string>) {
  const folder = await mkdtemp(join(tmpdir(), 'saved-query-headers-'));
  folders.push(folder);
  await cp(join(PACKAGE, 'macros'), join(folder, 'macros'), { recursive: true });
  await mkdir(join(folder, 'queries'));
  for (const [file, text] of Object.entries(files)) await writeFile(join(folder, 'queries', file), text);
  vi.stubEnv('FEATURES_SQL_DIR', folder);
  vi.resetModules();
  const { savedQueries } = await import('../src/index');
  return () => savedQueries();
}

/** `readSavedQueries` of such a folder. */
async function readSavedQueriesOf(files: Record<string, string>) {
  await savedQueriesOf(files);
  const { readSavedQueries } = await import('../src/index');
  return readSavedQueries();
}

const QUESTION = [
  '-- name: language_hours',
  '-- description: Which languages had the most hours watched? One row per language.',
  '-- param: first_date: date | First day, inclusive',
  'SELECT idioma FROM gold_idiomas_periodo WHERE dt >= ? -- how far back?',
].join('\n');

describe('saved query headers', () => {
  it('does not count a question mark in a comment as a placeholder', async () => {
    // prepare
    const list = await savedQueriesOf({ 'language_hours.sql': QUESTION });
    // act
    const queries = list();
    // assess
    expect(queries.map((query) => [query.name, query.parameters.length])).toEqual([['language_hours', 1]]);
  });

  it('refuses a name other than the file name, so that two files cannot share one', async () => {
    // prepare: a copy of a query under a new file name, its header unchanged
    const list = await savedQueriesOf({ 'language_hours.sql': QUESTION, 'language_hours_copy.sql': QUESTION });
    // act
    const listing = () => list();
    // assess
    expect(listing).toThrow('saved query language_hours_copy.sql: its "-- name: language_hours" must be its file name, language_hours_copy');
  });

  it('leaves the other files usable when one is malformed, naming it', async () => {
    // prepare
    const files = { 'language_hours.sql': QUESTION, 'broken.sql': '-- name: broken\nSELECT 1' };
    // act
    const { queries, problems } = await readSavedQueriesOf(files);
    // assess
    expect(queries.map((query) => query.name)).toEqual(['language_hours']);
    expect(problems).toEqual(['saved query broken.sql: header needs "-- name:" and "-- description:"']);
  });

  it('counts only the placeholders SQL reads: none in a string, a quoted name or a block comment', async () => {
    // prepare
    const text = [
      '-- name: quoted_marks',
      '-- description: Marks that are no placeholders.',
      '-- param: channel | Channel login',
      `SELECT 'what?' AS "why?", 'a--b' /* and? */ AS dashes, 'it''s?' AS quote, $$ a ? $$ AS dollars, $tag$ b ? $tag$ AS tagged, E'c\\' ?' AS escaped FROM gold_streamers_diario WHERE nome_streamer = ?`,
    ].join('\n');
    const list = await savedQueriesOf({ 'quoted_marks.sql': text });
    // act
    const queries = list();
    // assess
    expect(queries.map((query) => query.parameters.map((parameter) => parameter.name))).toEqual([['channel']]);
  });

  it.each([
    ['-- param: channel | Login | a|b', 'saved query bad.sql: parameter channel has more than "name | description | default" (a default cannot hold "|")'],
    ['-- param:  | Login', 'saved query bad.sql: a "-- param:" line names no parameter (got ""): use letters, digits and _'],
    ['-- param: first: date | First\n-- param: first | Again', 'saved query bad.sql: parameter first is declared again with another type or default'],
    ['-- param: login | L\n-- param: first | F\n-- deprecated param: channel login', 'saved query bad.sql: a "-- deprecated param:" line must read "old_name -> new_name" (got "channel login")'],
    ['-- param: login | L\n-- param: first | F\n-- deprecated param: first -> login', 'saved query bad.sql: deprecated parameter name first is still a parameter of its own'],
    ['-- param: login | L\n-- param: first | F\n-- deprecated param: channel -> nobody', 'saved query bad.sql: deprecated parameter name channel stands for nobody, which is no parameter'],
  ])('refuses the parameter line %j, naming the file', async (params, problem) => {
    // prepare
    const text = `-- name: bad\n-- description: Bad parameters.\n${params}\nSELECT ?, ?`;
    // act
    const { problems } = await readSavedQueriesOf({ 'bad.sql': text });
    // assess
    expect(problems).toEqual([problem]);
  });

  it('never takes a value from the prototype for a parameter named like one of its members', async () => {
    // prepare
    const text = '-- name: members\n-- description: A parameter named constructor.\n-- param: constructor | Odd but allowed\nSELECT ?';
    const [query] = (await readSavedQueriesOf({ 'members.sql': text })).queries;
    const { savedQueryValues } = await import('../src/index');
    // act
    const giving = () => savedQueryValues(query!, {});
    // assess
    expect(giving).toThrow('saved query members: missing constructor');
  });
});
