import { chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { failureHint } from '../src/cli/report-error';

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

async function dataDir(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'permission-hint-'));
  folders.push(folder);
  return folder;
}

describe('the hint after a refused file operation', () => {
  it('names the folder another user owns, as a command run with sudo leaves it, and how to give it back', async () => {
    // prepare: the queue's folder owned by another user (nobody's uid), the file in it never made
    const dir = await dataDir();
    const queue = join(dir, 'queue', 'unpublished');
    await mkdir(queue, { recursive: true });
    const other = (process.getuid?.() ?? 0) === 65534 ? 65533 : 65534;
    await chown(queue, other, other);
    // act
    const hint = failureHint(`EACCES: permission denied, open '${join(queue, '.tmp-1')}'`);
    // assess
    expect(hint).toBe(
      `  ${queue} belongs to another user (uid ${other}), as a command run with sudo leaves it: give it back (sudo chown -R "$(id -un)" ${queue}) or run the command as that user\n`,
    );
  });

  it("names the path and what to check when it is this user's own", async () => {
    // prepare
    const dir = await dataDir();
    // act
    const hint = failureHint(new Error(`snapshot failed: EPERM: operation not permitted, rename '${join(dir, 'a')}' -> '${join(dir, 'b')}'`));
    // assess
    expect(hint).toBe(`  this user may not write or read ${join(dir, 'a')}: check the permissions of it and of the folders above it (ls -ld)\n`);
  });

  it('has nothing to add to other failures, and keeps the full-disk hint first', () => {
    // act
    const none = failureHint(new Error('invalid client secret'));
    const full = failureHint("ENOSPC: no space left on device, write '/data/lake/x'");
    // assess
    expect(none).toBeUndefined();
    expect(full).toContain('the disk is full');
  });
});
