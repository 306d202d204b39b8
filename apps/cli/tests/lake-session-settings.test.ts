import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeSession } from '../src/lake/lake-session';
import { temporaryDataDir } from './support/cli-process';

let dataDir: string;

beforeAll(async () => {
  dataDir = await temporaryDataDir();
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('a lake session’s DuckDB settings', () => {
  it('spills into a private folder of the temp folder, removed on close, never into the working directory', async () => {
    // prepare
    const session = await LakeSession.open(dataDir);

    // act
    const { rows } = await session.query("SELECT current_setting('temp_directory') AS spill");
    await session.close();

    // assess
    const spill = String(rows[0]![0]);
    expect(spill.startsWith(join(tmpdir(), 'duckdb-spill-'))).toBe(true);
    expect(existsSync(spill)).toBe(false);
  });

  it('has the memory limit the pipeline’s engines have, so a query fits where a cycle does', async () => {
    // prepare
    const session = await LakeSession.open(dataDir);

    // act
    const { rows } = await session.query("SELECT current_setting('memory_limit') AS memory").finally(() => session.close());
    const [engine] = await withEngine({}, (opened) => opened.all<{ memory: string }>("SELECT current_setting('memory_limit') AS memory"));

    // assess
    expect(rows[0]![0]).toBe(engine!.memory);
  });
});
