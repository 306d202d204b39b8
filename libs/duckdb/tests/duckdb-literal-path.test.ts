import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { duckdbLiteralPath } from '@twitch-pipeline/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlFileList, sqlString, withEngine } from '../src/index';

// DuckDB expands glob characters in every path it reads. Read as written, the name `lake [a]*?`
// does not match the folder of that name, and does match its sibling `lake a xy`.
describe('duckdbLiteralPath with DuckDB', () => {
  let parent: string;
  let target: string;

  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'literal-path-'));
    target = join(parent, 'lake [a]*?');
    const sibling = join(parent, 'lake a xy');
    await withEngine({}, async (engine) => {
      for (const [folder, value] of [
        [target, 'target'],
        [sibling, 'sibling'],
      ] as const) {
        await mkdir(folder, { recursive: true });
        await engine.run(`COPY (SELECT ${sqlString(value)} AS source) TO ${sqlString(join(folder, 'part.parquet'))}`);
        await engine.run(`COPY (SELECT ${sqlString(value)} AS source) TO ${sqlString(join(folder, 'part.ndjson'))} (FORMAT json)`);
      }
    });
  });

  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('reads the files of that folder only, by glob, by sqlFileList and by bound parameter', async () => {
    // prepare
    const folder = duckdbLiteralPath(target);
    // act
    const read = await withEngine({}, async (engine) => [
      await engine.all(`SELECT source FROM read_json(${sqlString(join(folder, '*.ndjson'))})`),
      await engine.all(`SELECT source FROM read_parquet(${sqlFileList([join(target, 'part.parquet')])})`),
      await engine.all('SELECT source FROM read_parquet($path)', { path: join(folder, 'part.parquet') }),
    ]);
    // assess
    expect(read).toEqual([[{ source: 'target' }], [{ source: 'target' }], [{ source: 'target' }]]);
  });

  it('is needed: the same reads as written read the sibling folder instead', async () => {
    // prepare: the folder's own name not passed through duckdbLiteralPath (the temporary folder
    // above it is, since its name may hold glob characters too)
    const asWritten = join(duckdbLiteralPath(parent), 'lake [a]*?');
    // act
    const read = await withEngine({}, async (engine) => [
      await engine.all(`SELECT source FROM read_json(${sqlString(join(asWritten, '*.ndjson'))})`),
      await engine.all('SELECT source FROM read_parquet($path)', { path: join(asWritten, 'part.parquet') }),
    ]);
    // assess
    expect(read).toEqual([[{ source: 'sibling' }], [{ source: 'sibling' }]]);
  });
});
