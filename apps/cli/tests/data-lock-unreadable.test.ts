import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataLock, LOCK_FILE } from '../src/runtime/data-lock';

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

describe('a lock this user cannot read', () => {
  it('is refused at once, naming the lock and what to do, instead of being retried without end', async () => {
    // prepare: a lock the process cannot read. As another user's file with mode 600 would be, but
    // in a form that fails for root too: a folder in the lock's place (EISDIR)
    const dir = await mkdtemp(join(tmpdir(), 'data-lock-unreadable-'));
    folders.push(dir);
    await mkdir(join(dir, LOCK_FILE));

    // act: a retry without end never settles; the race ends it after 5 s
    const outcome = await Promise.race([
      acquireDataLock(dir, { command: 'run' }).then(
        () => 'acquired',
        (error: Error) => error,
      ),
      new Promise<string>((settle) => setTimeout(() => settle('still trying after 5 s'), 5_000)),
    ]);

    // assess
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toBe(`cannot read the lock of ${dir}, ${join(dir, LOCK_FILE)}: EISDIR: illegal operation on a directory, read`);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
