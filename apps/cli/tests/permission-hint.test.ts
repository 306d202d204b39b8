import { execFileSync } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { failureHint } from '../src/cli/report-error';
import { shellWord } from '../src/cli/shell-word';

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

async function dataDir(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'permission-hint-'));
  folders.push(folder);
  return folder;
}

/** Another user's uid: nobody's, or the one below it when the tests run as nobody. */
const OTHER_UID = (process.getuid?.() ?? 0) === 65534 ? 65533 : 65534;

/**
 * The queue's folder under `dir`, made by another user: in that user's own group, as a command run
 * with sudo leaves it, or in this user's group with umask 022, as a teammate leaves it.
 */
async function othersQueue(dir: string, group: 'theirs' | 'ours'): Promise<string> {
  const queue = join(dir, 'queue', 'unpublished');
  await mkdir(queue, { recursive: true });
  if (group === 'theirs') {
    await chown(queue, OTHER_UID, OTHER_UID);
  } else {
    await chown(queue, OTHER_UID, process.getegid?.() ?? 0);
    await chmod(queue, 0o755);
  }
  return queue;
}

describe('the hint after a refused file operation', () => {
  it('names the folder another user owns, as a command run with sudo leaves it, and how to give it back', async () => {
    // prepare: the queue's folder owned by another user (nobody's uid), the file in it never made
    const dir = await dataDir();
    const queue = await othersQueue(dir, 'theirs');
    const other = OTHER_UID;
    // act
    const hint = failureHint(`EACCES: permission denied, open '${join(queue, '.tmp-1')}'`);
    // assess
    expect(hint).toBe(
      `  ${queue} belongs to another user (uid ${other}), as a command run with sudo leaves it: give it back (sudo chown -R "$(id -un)" ${shellWord(queue)}) or run the command as that user\n`,
    );
  });

  it('asks a teammate of the same group to make the folder group-writable, rather than to give it away', async () => {
    // prepare: the queue's folder made by another user of this user's group with umask 022
    const dir = await dataDir();
    const queue = await othersQueue(dir, 'ours');
    const other = OTHER_UID;
    // act
    const hint = failureHint(`EACCES: permission denied, open '${join(queue, '.tmp-1')}'`);
    // assess
    expect(hint?.startsWith(`  ${queue} belongs to `)).toBe(true);
    expect(hint).toContain(`(uid ${other}), of your group `);
    expect(hint).toContain(`(gid ${process.getegid?.() ?? 0}), which may not write it`);
    expect(hint).toContain(`have that user run chmod -R g+w ${shellWord(queue)}, and everyone who writes this data directory work with umask 002\n`);
    expect(hint).not.toContain('chown');
  });

  it('gives back a folder whose name a shell would split or leave open, as the command is printed', async () => {
    // prepare: the data directory in a folder named with spaces, an apostrophe and a non-ASCII letter
    const dir = join(await dataDir(), "My Projects", "Ana's lake ü");
    const queue = await othersQueue(dir, 'theirs');
    const hint = failureHint(`EACCES: permission denied, open '${join(queue, '.tmp-1')}'`);
    const command = /give it back \(sudo (chown -R "\$\(id -un\)" .+)\) or run/.exec(hint ?? '')?.[1];
    // act: the command as a shell runs it (without sudo: the test's user may already change owners)
    execFileSync('sh', ['-c', command ?? 'false']);
    // assess
    expect((await stat(queue)).uid).toBe(process.getuid?.());
  });

  it("lets a teammate make such a folder group-writable with the command as it is printed", async () => {
    // prepare: a folder of this user's group, made by another user with umask 022, under an awkward name
    const dir = join(await dataDir(), "My Projects", "Ana's lake ü");
    const queue = await othersQueue(dir, 'ours');
    const hint = failureHint(`EACCES: permission denied, open '${join(queue, '.tmp-1')}'`);
    const command = /have that user run (chmod -R g\+w .+), and everyone/.exec(hint ?? '')?.[1];
    // act: the command as a shell runs it (as the test's user, who may change any folder's mode)
    execFileSync('sh', ['-c', command ?? 'false']);
    // assess
    expect((await stat(queue)).mode & 0o020).toBe(0o020);
  });

  it("names the side of a copy that another user owns, not this user's own source", async () => {
    // prepare: a file of this user's copied into a folder of another user
    const dir = await dataDir();
    const source = join(dir, 'scratch', 'part-0.parquet');
    const gold = join(dir, 'lake', 'gold', 'dt=2026-12-06');
    await mkdir(join(source, '..'), { recursive: true });
    await writeFile(source, '');
    await mkdir(gold, { recursive: true });
    const other = OTHER_UID;
    await chown(gold, other, other);
    // act
    const hint = failureHint(`gold failed for 1 date: EACCES: permission denied, copyfile '${source}' -> '${join(gold, '.tmp-1')}' (and more)`);
    // assess
    expect(hint).toContain(`  ${gold} belongs to another user (uid ${other})`);
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
