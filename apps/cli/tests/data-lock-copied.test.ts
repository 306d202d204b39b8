import { cp, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataLock, LOCK_FILE } from '../src/runtime/data-lock';
import { pidNamespace } from '../src/runtime/process-alive';

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

async function parentFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'data-lock-copied-'));
  folders.push(folder);
  return folder;
}

describe('a lock copied with its data directory', () => {
  it('is taken over in the copy, with a notice naming the original, while the original stays locked', async () => {
    // prepare: this process holds the original's lock, alive, and the folder is copied as a backup taken meanwhile
    const parent = await parentFolder();
    const original = join(parent, 'data');
    const copy = join(parent, 'data-copy');
    const live = await acquireDataLock(original, { command: 'run --every' });
    await cp(original, copy, { recursive: true });
    const notices: string[] = [];

    // act
    const inCopy = await acquireDataLock(copy, { command: 'run', onNotice: (message) => notices.push(message) });
    const inOriginal = acquireDataLock(original, { command: 'run' });

    // assess
    expect(JSON.parse(await readFile(join(copy, LOCK_FILE), 'utf8')).token).toBe(inCopy.holder.token);
    expect(notices).toEqual([expect.stringMatching(/^took over a stale lock of `run --every` .*copied with the data directory from .*data\b/)]);
    await expect(inOriginal).rejects.toThrow(/is in use by `run --every`/);
    await inCopy.release();
    await live.release();
  });

  it('still holds the directory when reached through another path (a symbolic link)', async () => {
    // prepare
    const parent = await parentFolder();
    const original = join(parent, 'data');
    const live = await acquireDataLock(original, { command: 'backfill' });
    const link = join(parent, 'link-to-data');
    await symlink(original, link);

    // act
    const throughLink = acquireDataLock(link, { command: 'run' });

    // assess
    await expect(throughLink).rejects.toThrow(/is in use by `backfill`/);
    expect(live.holder.directory?.path).toBe(await realpath(original));
    await live.release();
  });

  it('still holds a folder whose lock names it by another path and device, as two mounts of one share do', async () => {
    // prepare: this live process's lock naming the folder by a second path (a link standing for
    // a second mount) and another device and inode, as a FUSE mount of the same share reports
    const parent = await parentFolder();
    const folder = join(parent, 'data');
    await mkdir(folder);
    const secondMount = join(parent, 'second-mount');
    await symlink(folder, secondMount);
    const holder = { pid: process.pid, host: hostname(), startedAt: '2026-12-07T08:00:00.000Z', command: 'run --every', pidNamespace: pidNamespace(), token: 'live' };
    await writeFile(join(folder, LOCK_FILE), `${JSON.stringify({ ...holder, directory: { path: secondMount, id: '64:999' } })}\n`);

    // act
    const second = acquireDataLock(folder, { command: 'backfill' });

    // assess
    await expect(second).rejects.toThrow(/is in use by `run --every`/);
    expect(JSON.parse(await readFile(join(folder, LOCK_FILE), 'utf8')).token).toBe('live');
  });
});
