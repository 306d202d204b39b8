import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, temporaryDataDir } from './support/cli-process';

const FEATURES = fileURLToPath(new URL('../../../libs/features', import.meta.url));

describe('a malformed saved query beside the others', () => {
  let folder: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    // prepare: the shipped models and queries, plus a query a user is adding, its header unfinished
    folder = await mkdtemp(join(tmpdir(), 'features-malformed-'));
    for (const sub of ['models', 'macros', 'queries']) await cp(join(FEATURES, sub), join(folder, sub), { recursive: true });
    await writeFile(join(folder, 'queries', 'my_query.sql'), '-- name: my_query\nSELECT 1');
    env = { ...cliEnv(await temporaryDataDir()), FEATURES_SQL_DIR: folder };
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('is named by query --list, which lists the others', async () => {
    // act
    const result = await runCli(['query', '--list'], env);

    // assess
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('note: saved query my_query.sql: header needs "-- name:" and "-- description:"; the other saved queries are listed');
    expect(result.stdout).toContain('top_categories_by_hours');
  });

  it('leaves the other saved queries running', async () => {
    // act
    const other = await runCli(['query', '--saved', 'top_categories_by_hours'], env);
    const itself = await runCli(['query', '--saved', 'my_query'], env);

    // assess
    expect(other.code).toBe(0);
    expect(itself.code).toBe(2);
    expect(itself.stderr).toContain('saved query my_query.sql: header needs "-- name:" and "-- description:"');
  });
});
