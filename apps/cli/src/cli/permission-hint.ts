import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { shellWord } from './shell-word';

/**
 * A refused file operation as Node words it: `EACCES: permission denied, open '/data/lake/…'`.
 * Node quotes the path without escaping it, and a path may hold an apostrophe (`Zoë's`): the
 * closing quote is the one followed by the end, a space or punctuation.
 */
const REFUSED = /\b(EACCES|EPERM)\b[^']*'(.*?)'(?=$|[\s;:,)])/;
/** The second path of a refused copy or rename: `… copyfile 'a' -> 'b'`. */
const TARGET = /^ -> '(.*?)'(?=$|[\s;:,)])/;

/** The nearest of `path` and its parents that exists, with its owner, group and mode. */
function ownerOf(path: string): { path: string; uid: number; gid: number; mode: number } | undefined {
  for (let current = path; ; current = dirname(current)) {
    try {
      const { uid, gid, mode } = statSync(current);
      return { path: current, uid, gid, mode };
    } catch {
      if (dirname(current) === current) return undefined;
    }
  }
}

/**
 * The name of a user or group id with its number (`alice (uid 1001)`), as the system's name
 * service knows it: `getent` asks it, so a team server's directory users (LDAP, SSSD) are named
 * as well as those of /etc/passwd. Where it cannot answer (no `getent`, an unknown id), the number alone.
 */
function nameOf(database: 'passwd' | 'group', id: number): string {
  const kind = database === 'passwd' ? 'uid' : 'gid';
  try {
    const name = execFileSync('getent', [database, String(id)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 2_000 }).split(':')[0];
    if (name) return `${name} (${kind} ${id})`;
  } catch {
    // Not found, or no getent here (macOS): the number says enough to find the owner.
  }
  return `${kind} ${id}`;
}

/**
 * What to do about `path`, which another user owns, when it is of a group this user belongs to
 * and that group may not write it: a teammate's folder made with umask 022 in a data directory
 * the team shares. Undefined for any other owner, group or mode.
 *
 * @example
 * sharedGroupHint('/srv/pipeline/data/queue'); // '  /srv/pipeline/data/queue belongs to alice (uid 1001), of your group …\n'
 */
export function sharedGroupHint(path: string): string | undefined {
  const owner = ownerOf(path);
  const uid = process.getuid?.();
  if (!owner || uid === undefined || owner.uid === uid || (owner.mode & 0o020) !== 0) return undefined;
  const groups = [process.getegid?.(), ...(process.getgroups?.() ?? [])];
  if (!groups.includes(owner.gid)) return undefined;
  return (
    `  ${owner.path} belongs to ${nameOf('passwd', owner.uid)}, of your group ${nameOf('group', owner.gid)}, which may not write it (a command run with umask 022 makes such folders): ` +
    `have that user run chmod -R g+w ${shellWord(owner.path)}, and everyone who writes this data directory work with umask 002\n`
  );
}

/**
 * What to do about a failure that is the file system refusing this user (an error, or the
 * message a run record kept), as indented lines; undefined for any other failure. A folder of
 * the data directory owned by another user is what a command once run with `sudo` leaves, and
 * the bare `EACCES` named neither the owner nor the way out.
 *
 * @example
 * permissionHint("EACCES: permission denied, open '/data/queue/unpublished/.tmp-1'");
 * // '  /data/queue/unpublished belongs to another user (uid 0), as a command run with sudo leaves it: …\n'
 */
export function permissionHint(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const refused = REFUSED.exec(message);
  if (!refused) return undefined;
  const target = TARGET.exec(message.slice(refused.index + refused[0].length))?.[1];
  const uid = process.getuid?.();
  // Of a copy or rename, the side another user owns is the one refused (a copy from this user's
  // temporary folder into a teammate's lake folder named the temporary file).
  const paths = [refused[2]!, ...(target === undefined ? [] : [target])];
  const refusedPath = paths.find((path) => ownerOf(path)?.uid !== uid) ?? paths[0]!;
  const owner = ownerOf(refusedPath);
  if (owner && uid !== undefined && owner.uid !== uid) {
    const shared = sharedGroupHint(owner.path);
    if (shared) return shared;
    return (
      `  ${owner.path} belongs to another user (uid ${owner.uid}), as a command run with sudo leaves it: ` +
      `give it back (sudo chown -R "$(id -un)" ${shellWord(owner.path)}) or run the command as that user\n`
    );
  }
  return `  this user may not write or read ${refusedPath}: check the permissions of it and of the folders above it (ls -ld)\n`;
}
