import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { folderErrorCode, makeFolderOf } from '../src/cli/export-folder';
import { writePage } from '../src/cli/temporary-beside';

/**
 * Folders whose write check fails with EROFS, as on a read-only mount, where Node 20's recursive
 * mkdir reports ENOENT. Mounting needs privileges a test must not take, so the answer of the file
 * system is injected for the folders named here; everything else is the real file system.
 */
const readOnly = new Set<string>();

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const denied = (path: string) => Object.assign(new Error(`EROFS: read-only file system, ${path}`), { code: 'EROFS' });
  return {
    ...actual,
    access: async (...args: Parameters<typeof actual.access>) => {
      if (readOnly.has(String(args[0]))) throw denied(String(args[0]));
      return actual.access(...args);
    },
    mkdir: async (...args: Parameters<typeof actual.mkdir>) => {
      const path = String(args[0]);
      if ([...readOnly].some((folder) => path.startsWith(`${folder}/`))) throw Object.assign(new Error(`ENOENT: no such file or directory, mkdir '${path}'`), { code: 'ENOENT' });
      return actual.mkdir(...args);
    },
  };
});

describe('folderErrorCode', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'export-folder-'));
  });
  afterEach(async () => {
    readOnly.clear();
    await rm(root, { recursive: true, force: true });
  });

  it('names a read-only place where the recursive mkdir said ENOENT', async () => {
    // Prepare
    const mount = join(root, 'ro');
    await mkdir(mount);
    readOnly.add(mount);

    // Act
    const made = makeFolderOf(join(mount, 'sub', 'deeper', 'top.csv'));

    // Assess
    await expect(made).rejects.toThrow(`cannot make its folder ${join(mount, 'sub', 'deeper')} (EROFS)`);
  });

  it('names a read-only place for a page whose folder cannot be made', async () => {
    // Prepare: before, the dashboard and the profile pages failed with a bare ENOENT and exit code 1
    const mount = join(root, 'ro');
    await mkdir(mount);
    readOnly.add(mount);

    // Act
    const written = writePage(join(mount, 'sub', 'dashboard.html'), '<html></html>', { page: 'the dashboard', hint: 'write it elsewhere' });

    // Assess
    await expect(written).rejects.toMatchObject({ exitCode: 1, message: `cannot write the dashboard to ${join(mount, 'sub', 'dashboard.html')}: cannot make its folder ${join(mount, 'sub')} (EROFS)` });
  });

  it('keeps ENOENT when the nearest folder can be written, and any other code as it is', async () => {
    // Prepare
    const enoent = Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    const enotdir = Object.assign(new Error('ENOTDIR'), { code: 'ENOTDIR' });

    // Act
    const codes = [await folderErrorCode(enoent, join(root, 'a', 'b')), await folderErrorCode(enotdir, join(root, 'a'))];

    // Assess
    expect(codes).toEqual(['ENOENT', 'ENOTDIR']);
  });
});
