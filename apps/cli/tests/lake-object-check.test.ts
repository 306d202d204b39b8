import { mkdir, readFile, rename, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { describe, expect, it } from 'vitest';
import { LakeObjectCheck } from '../src/lake/lake-object-check';
import { useTemporaryDataDirs } from './support/cli-process';

const KEY = 'silver/streams/dt=2026-11-29/20261129T150000Z.parquet';
const dataDirectory = useTemporaryDataDirs();

/** A lake with one readable silver object of three rows, and where its check cache goes. */
async function lakeWithSilverObject(): Promise<{ store: LocalObjectStore; cacheFile: string; path: string }> {
  const dataDir = await dataDirectory();
  const store = new LocalObjectStore(join(dataDir, 'lake'));
  const path = store.pathOf(KEY);
  await mkdir(dirname(path), { recursive: true });
  await withEngine({}, (engine) => engine.copyToParquet("SELECT 'stream-' || i AS id_stream FROM range(3) t(i)", undefined, path));
  return { store, cacheFile: join(dataDir, 'cache', 'lake-objects.json'), path };
}

describe('LakeObjectCheck', () => {
  it('checks an object again when an atomic rewrite keeps its size and its time to the millisecond', async () => {
    // Prepare: a readable silver object, checked once; then torn bytes of the same size, stamped with its old time, renamed over it.
    const { store, cacheFile, path } = await lakeWithSilverObject();
    const first = await LakeObjectCheck.open(store, cacheFile);
    const before = await first.split(await store.list('silver/'));
    await first.close();
    const written = await stat(path);
    const torn = await readFile(path);
    torn.fill(7, torn.length - 4);
    await writeFile(`${path}.swap`, torn);
    await utimes(`${path}.swap`, written.atime, written.mtime);
    await rename(`${path}.swap`, path);

    // Act
    const second = await LakeObjectCheck.open(store, cacheFile);
    const after = await second.split(await store.list('silver/'));
    await second.close();

    // Assess
    expect(await stat(path)).toMatchObject({ size: written.size, mtime: written.mtime });
    expect(before.bad).toEqual([]);
    expect(after.bad.map((object) => object.key)).toEqual([KEY]);
    expect(after.paths).toEqual([]);
  });

  it('checks again an object it could not open, which a chmod may make readable with its size and version kept', async () => {
    // Prepare: a readable silver object whose cached verdict says it could not be opened (as for another user's file with mode 000, then given back its read permission)
    const { store, cacheFile, path } = await lakeWithSilverObject();
    const [object] = await store.list('silver/');
    await mkdir(dirname(cacheFile), { recursive: true });
    await writeFile(cacheFile, JSON.stringify({ [path]: { size: object!.size, etag: object!.etag, problem: 'cannot open: EACCES' } }));

    // Act
    const check = await LakeObjectCheck.open(store, cacheFile);
    const split = await check.split(await store.list('silver/'));
    await check.close();

    // Assess
    expect(split.bad).toEqual([]);
    expect(split.paths).toEqual([path]);
  });
});
