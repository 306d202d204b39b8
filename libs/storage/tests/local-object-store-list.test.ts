import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalObjectStore } from '../src/index';

/**
 * Paths to delete, as another process would, between the directory's read and the file's stat: the real
 * file system, with the deletion injected at the one moment the race needs.
 */
const vanishing = new Set<string>();
/** Folders whose read fails with EACCES, as one of another user's with mode 000 does (root reads any folder, so the test injects it). */
const denied = new Set<string>();

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    stat: async (...args: Parameters<typeof actual.stat>) => {
      const path = String(args[0]);
      if (vanishing.delete(path)) await actual.rm(path);
      return actual.stat(...args);
    },
    readdir: async (...args: Parameters<typeof actual.readdir>) => {
      if (denied.has(String(args[0]))) throw Object.assign(new Error(`EACCES: permission denied, scandir '${String(args[0])}'`), { code: 'EACCES' });
      return actual.readdir(...args);
    },
  };
});

describe('LocalObjectStore listing', () => {
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(join(tmpdir(), 'lake-'));
  });
  afterEach(async () => {
    vanishing.clear();
    denied.clear();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('leaves out an object another process deletes while the folder is listed', async () => {
    // Prepare
    const store = new LocalObjectStore(root);
    const keys = ['pending/gold/dt=2026-11-29/20261129T210000Z.json', 'pending/gold/dt=2026-11-29/20261129T213000Z.json'];
    for (const key of keys) await store.put(key, '{}\n');
    vanishing.add(store.pathOf(keys[0]!));

    // Act
    const listed = await store.list('pending/gold/');

    // Assess
    expect(vanishing.size).toBe(0);
    expect(listed.map((object) => object.key)).toEqual([keys[1]]);
  });

  it('lists nothing under a prefix a stray file is named like, and finds no object beneath it', async () => {
    // Prepare
    const store = new LocalObjectStore(root);
    await store.put('silver/streams/dt=2026-11-29/20261129T210000Z.parquet', 'PAR1');
    await fs.writeFile(join(root, 'silver', 'streams', 'dt=2026-11-30'), 'x\n');

    // Act
    const listed = await store.list('silver/streams/dt=2026-11-30/');
    const exists = await store.exists('silver/streams/dt=2026-11-30/20261130T000000Z.parquet');
    const read = store.get('silver/streams/dt=2026-11-30/20261130T000000Z.parquet');

    // Assess
    expect(listed).toEqual([]);
    expect(exists).toBe(false);
    await expect(read).rejects.toThrow(/not found/i);
    expect((await store.list('silver/streams/')).map((object) => object.key)).toEqual([
      'silver/streams/dt=2026-11-29/20261129T210000Z.parquet',
      'silver/streams/dt=2026-11-30',
    ]);
  });

  it('sweeps stale temporary files past a folder it cannot read', async () => {
    // Prepare
    const store = new LocalObjectStore(root);
    await store.put('raw/streams/dt=2026-11-29/20261129T210000Z.parquet', 'PAR1');
    const stale = join(root, 'raw', 'streams', 'dt=2026-11-29', '.tmp-left-by-a-kill');
    await fs.writeFile(stale, 'partial');
    await fs.utimes(stale, new Date(0), new Date(0));
    const locked = join(root, 'silver', 'streams', 'dt=2026-11-29');
    await fs.mkdir(locked, { recursive: true });
    denied.add(locked);

    // Act
    const removed = await store.removeStaleTemporaryFiles();

    // Assess
    expect(removed).toBe(1);
    await expect(fs.stat(stale)).rejects.toThrow(/ENOENT/);
    await expect(store.list('silver/streams/dt=2026-11-29/')).rejects.toThrow(/EACCES/);
  });
});
