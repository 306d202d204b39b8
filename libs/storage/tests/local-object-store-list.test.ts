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

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    stat: async (...args: Parameters<typeof actual.stat>) => {
      const path = String(args[0]);
      if (vanishing.delete(path)) await actual.rm(path);
      return actual.stat(...args);
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
});
