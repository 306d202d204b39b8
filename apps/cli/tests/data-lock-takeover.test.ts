import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataLock, LOCK_FILE } from '../src/runtime/data-lock';
import { takeOver, takeoverClaim } from '../src/runtime/lock-takeover';
import { pidNamespace } from '../src/runtime/process-alive';

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

async function dataDir(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'data-lock-takeover-'));
  folders.push(folder);
  return folder;
}

/** The lock file of a process that is gone: no process has a pid this high. */
const staleLock = (token: string) =>
  `${JSON.stringify({ pid: 2 ** 22 + 1, host: hostname(), startedAt: '2026-12-06T00:00:00.000Z', command: 'run', pidNamespace: pidNamespace(), token })}\n`;

/** A data directory holding a stale lock and the takeover claim made for it, dated `offsetMs` from now. */
async function staleLockWithClaim(offsetMs: number): Promise<{ dir: string; path: string; stale: string; claim: string }> {
  const dir = await dataDir();
  const path = join(dir, LOCK_FILE);
  const stale = staleLock('stale');
  await writeFile(path, stale);
  const claim = takeoverClaim(path, stale);
  await writeFile(claim, '');
  const dated = new Date(Date.now() + offsetMs);
  await utimes(claim, dated, dated);
  return { dir, path, stale, claim };
}

describe('taking over a stale lock', () => {
  it('leaves a lock that another process took meanwhile in place at every instant', async () => {
    // prepare: this process read a stale lock, and before it acted another one took the directory
    const dir = await dataDir();
    const seen = staleLock('stale');
    const live = await acquireDataLock(dir, { command: 'backfill' });
    const path = join(dir, LOCK_FILE);
    const content = await readFile(path, 'utf8');
    let absent = 0;
    let watching = true;
    const watch = () => {
      if (!existsSync(path)) absent += 1;
      if (watching) setImmediate(watch);
    };
    watch();

    // act
    const tookOver = await takeOver(path, seen);
    watching = false;

    // assess: a lock missing for an instant would let a third process create its own beside the live one
    expect(tookOver).toBe(false);
    expect(absent).toBe(0);
    expect(await readFile(path, 'utf8')).toBe(content);
    expect((await readdir(dir)).sort()).toEqual([LOCK_FILE]);
    await live.release();
  });

  it('lets exactly one of many processes racing for the same stale lock hold it, trial after trial', async () => {
    for (let trial = 0; trial < 50; trial += 1) {
      // prepare
      const dir = await dataDir();
      await writeFile(join(dir, LOCK_FILE), staleLock('stale'));

      // act
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => acquireDataLock(dir, { command: 'run' })));

      // assess
      const held = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
      expect(held).toHaveLength(1);
      expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')).token).toBe(held[0]!.holder.token);
      expect((await readdir(dir)).sort()).toEqual([LOCK_FILE]);
      await held[0]!.release();
    }
  });

  it.each([
    ['ten minutes old', -600_000],
    ['dated an hour in the future (the clock set back since), rather than waiting for that hour', 3_600_000],
  ])('removes a takeover claim left by a process that died taking over, %s', async (_when, offsetMs) => {
    // prepare: the claim beside the stale lock it was made for
    const { dir } = await staleLockWithClaim(offsetMs);

    // act
    const taken = await acquireDataLock(dir, { command: 'run' });

    // assess
    expect(taken.tookOver?.token).toBe('stale');
    expect((await readdir(dir)).sort()).toEqual([LOCK_FILE]);
    await taken.release();
  });

  it("leaves a claim dated half a minute ahead in place, as a file server's clock ahead of this one dates a fresh one", async () => {
    // prepare
    const { path, stale, claim } = await staleLockWithClaim(30_000);

    // act
    const tookOver = await takeOver(path, stale);

    // assess
    expect(tookOver).toBe(false);
    expect(existsSync(claim)).toBe(true);
    expect(await readFile(path, 'utf8')).toBe(stale);
  });

  it('takes over an empty lock dated two hours in the future rather than taking it for one being written', async () => {
    // prepare: an empty lock (a create without hard links that never got its content), its time ahead of the clock
    const dir = await dataDir();
    const path = join(dir, LOCK_FILE);
    await writeFile(path, '');
    const twoHoursAhead = new Date(Date.now() + 7_200_000);
    await utimes(path, twoHoursAhead, twoHoursAhead);
    const notices: string[] = [];

    // act
    const taken = await acquireDataLock(dir, { command: 'run', onNotice: (message) => notices.push(message) });

    // assess
    expect(notices).toEqual([expect.stringMatching(/^took over a stale lock of an unknown process: its content is unreadable/)]);
    await taken.release();
  });
});
