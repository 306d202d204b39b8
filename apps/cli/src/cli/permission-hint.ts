import { statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A refused file operation as Node words it: `EACCES: permission denied, open '/data/lake/…'`.
 * Node quotes the path without escaping it, and a path may hold an apostrophe (`Zoë's`): the
 * closing quote is the one followed by the end, a space or punctuation.
 */
const REFUSED = /\b(EACCES|EPERM)\b[^']*'(.*?)'(?=$|[\s;:,)])/;

/** The nearest of `path` and its parents that exists, with its owner. */
function ownerOf(path: string): { path: string; uid: number } | undefined {
  for (let current = path; ; current = dirname(current)) {
    try {
      return { path: current, uid: statSync(current).uid };
    } catch {
      if (dirname(current) === current) return undefined;
    }
  }
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
  const refused = REFUSED.exec(error instanceof Error ? error.message : String(error));
  if (!refused) return undefined;
  const owner = ownerOf(refused[2]!);
  const uid = process.getuid?.();
  if (owner && uid !== undefined && owner.uid !== uid) {
    return (
      `  ${owner.path} belongs to another user (uid ${owner.uid}), as a command run with sudo leaves it: ` +
      `give it back (sudo chown -R "$(id -un)" ${owner.path}) or run the command as that user\n`
    );
  }
  return `  this user may not write or read ${refused[2]}: check the permissions of it and of the folders above it (ls -ld)\n`;
}
