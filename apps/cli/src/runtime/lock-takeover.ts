import { createHash } from 'node:crypto';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

// Taking over the lock of a data directory whose holder is gone (see data-lock.ts).

/** How long an empty lock file counts as one being written, and how soon to look again. */
const EMPTY_LOCK_GRACE_MS = 5_000;
export const EMPTY_LOCK_RETRY_MS = 20;

/**
 * The claim file of a takeover of the lock at `path` holding `staleText`: named after that content,
 * so that every process that saw the same stale lock races for the same name.
 *
 * @example
 * const claim = takeoverClaim(join(dataDir, LOCK_FILE), staleText); // <dir>/pipeline.lock.takeover-3f2a…
 */
export function takeoverClaim(path: string, staleText: string): string {
  return `${path}.takeover-${createHash('sha256').update(staleText).digest('hex').slice(0, 16)}`;
}

/** How old a takeover claim must be to count as left by a process that died taking over. */
const TAKEOVER_CLAIM_GRACE_MS = 10_000;

/** How far in the future a file's time may lie and still count as now: a file server's clock ahead of this one. */
const SERVER_CLOCK_AHEAD_MS = 60_000;

/** How long ago a file was last written, by its time (negative when dated in the future), or undefined when it is gone. */
async function ageOf(path: string): Promise<number | undefined> {
  return stat(path).then(
    (found) => Date.now() - found.mtimeMs,
    () => undefined,
  );
}

/**
 * Whether a file of that age was written less than `graceMs` ago. One dated further in the
 * future than a server's clock runs ahead (the clock was set back since it was written) counts as
 * old: it would otherwise stay young until the clock passed its date, and every writer would wait
 * on it, saying nothing.
 */
function isYoung(age: number, graceMs: number): boolean {
  return age < graceMs && age > -SERVER_CLOCK_AHEAD_MS;
}

/**
 * Removes a stale lock, if it still holds the stale content seen. Only the process that creates
 * the claim named after that content may remove it: the content holds a unique token, so once
 * removed it never comes back, and a lock another process took meanwhile is never touched (moving
 * the lock aside and putting back what turned out to be live let a third process in between).
 * A claim held by another process makes this wait a moment; one left by a process that died
 * taking over is removed once it is old. Exported for its tests; the commands take the lock with
 * `acquireDataLock`.
 *
 * @example
 * if (await takeOver(join(dataDir, LOCK_FILE), staleText)) console.log('the stale lock is gone');
 */
export async function takeOver(path: string, staleText: string): Promise<boolean> {
  const claim = takeoverClaim(path, staleText);
  const claimed = await writeFile(claim, `${process.pid}\n`, { flag: 'wx' }).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return false;
      throw error;
    },
  );
  if (!claimed) {
    const age = await ageOf(claim);
    if (age !== undefined && !isYoung(age, TAKEOVER_CLAIM_GRACE_MS)) await rm(claim, { force: true });
    else await delay(EMPTY_LOCK_RETRY_MS);
    return false;
  }
  try {
    if ((await readFile(path, 'utf8').catch(() => undefined)) !== staleText) return false;
    await rm(path, { force: true });
    return true;
  } finally {
    await rm(claim, { force: true });
  }
}

/**
 * Where the file system has no hard links, a lock file is created empty and then written (see
 * createFileDurably): an empty one this young is a holder writing it, not a stale lock.
 *
 * @example
 * if (text === '' && (await isBeingWritten(path))) await delay(EMPTY_LOCK_RETRY_MS);
 */
export async function isBeingWritten(path: string): Promise<boolean> {
  const age = await ageOf(path);
  return age !== undefined && isYoung(age, EMPTY_LOCK_GRACE_MS);
}
