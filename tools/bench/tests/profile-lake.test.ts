import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine, parquetKeyValues } from '@twitch-pipeline/duckdb';
import { goldModelVersion, MODEL_VERSION_KEY, silverModelVersion } from '@twitch-pipeline/pipeline';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateProfileLake } from '../profiles/profile-lake';

let scratch: string;

beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'profile-lake-'));
});

afterEach(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** The model version in the footer of every Parquet file under `folder`. */
async function versionsUnder(folder: string): Promise<(string | undefined)[]> {
  const paths = (await readdir(folder, { recursive: true })).filter((name) => name.endsWith('.parquet')).map((name) => join(folder, name));
  const engine = await DuckDbEngine.open();
  try {
    return await parquetKeyValues(engine, paths, MODEL_VERSION_KEY);
  } finally {
    await engine.close();
  }
}

describe('the profile benchmark lake', () => {
  it("stamps every silver and gold object with the current models' version, as the steps do, so the CLI reads it as its own, and fills every column", async () => {
    // prepare
    const store = new LocalObjectStore(join(scratch, 'lake'));

    // act
    const withoutGenerator = await generateProfileLake(store, { firstDate: '2026-11-01', days: 1, snapshotsPerDay: 2, streamsPerSnapshot: 50, population: 200 });

    // assess
    const silver = await versionsUnder(join(store.root, 'silver'));
    const gold = await versionsUnder(join(store.root, 'gold'));
    expect(silver).toHaveLength(2);
    expect(new Set(silver)).toEqual(new Set([silverModelVersion()]));
    expect(gold.length).toBeGreaterThan(0);
    expect(new Set(gold)).toEqual(new Set([goldModelVersion()]));
    // every column written from a generator: a NULL one would time the profiles on data the steps never write
    expect(withoutGenerator).toEqual([]);
  });
});
