import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, parquetSchemas } from '../src/index';

let directory: string;
let engine: DuckDbEngine;

beforeAll(async () => {
  // A folder name with a quote, a comma and a space: paths are bound, never spliced into the SQL.
  directory = await mkdtemp(join(tmpdir(), "schema's, sig-"));
  engine = await DuckDbEngine.open({ threads: 1 });
});

afterAll(async () => {
  await engine.close();
  await rm(directory, { recursive: true, force: true });
});

describe('Parquet schemas', () => {
  it('are equal for files holding the same columns in any order, and differ on a name, a type or a nested column', async () => {
    // prepare
    const files = {
      first: "SELECT 1::BIGINT AS a, 'x' AS b, ['t'] AS tags",
      reordered: "SELECT ['u'] AS tags, 'y' AS b, 2::BIGINT AS a",
      narrower: "SELECT 3::INTEGER AS a, 'z' AS b, ['v'] AS tags",
      missing: "SELECT 4::BIGINT AS a, ['w'] AS tags",
      nested: "SELECT 5::BIGINT AS a, 'q' AS b, [1] AS tags",
    };
    const paths = Object.keys(files).map((name) => join(directory, `${name}.parquet`));
    for (const [index, sql] of Object.values(files).entries()) await engine.copyToParquet(sql, undefined, paths[index]!);
    // act
    const schemas = await parquetSchemas(engine, paths);
    const none = await parquetSchemas(engine, []);
    // assess
    const [first, reordered, narrower, missing, nested] = schemas.map((schema) => schema?.signature);
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(reordered).toBe(first);
    expect(new Set([first, narrower, missing, nested]).size).toBe(4);
    expect(schemas[2]?.leaves).toEqual([
      { name: 'a', type: 'INTEGER' },
      { name: 'b', type: 'VARCHAR' },
      { name: 'element', type: 'VARCHAR' },
    ]);
    expect(none).toEqual([]);
  });

  it('differ for files whose nested fields sit under other parents, though each field alone is alike', async () => {
    // prepare
    const structs = [join(directory, 'structs-1.parquet'), join(directory, 'structs-2.parquet')];
    const lists = [join(directory, 'lists-1.parquet'), join(directory, 'lists-2.parquet')];
    await engine.copyToParquet("SELECT {'a': 1::BIGINT} AS s, {'b': 'x'} AS t", undefined, structs[0]!);
    await engine.copyToParquet("SELECT {'b': 'x'} AS s, {'a': 1::BIGINT} AS t", undefined, structs[1]!);
    await engine.copyToParquet("SELECT ['x'] AS tags, [1::BIGINT] AS ids", undefined, lists[0]!);
    await engine.copyToParquet("SELECT [1::BIGINT] AS tags, ['x'] AS ids", undefined, lists[1]!);
    // act
    const [s1, s2, l1, l2] = (await parquetSchemas(engine, [...structs, ...lists])).map((schema) => schema?.signature);
    // assess
    expect(s1).not.toBe(s2);
    expect(l1).not.toBe(l2);
  });
});
