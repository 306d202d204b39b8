// @ts-check
// The bundle's cache lives in the clone's node_modules, which a team may share (docs/cli.md, "A
// data directory a team shares"). mkdir gives a folder the umask's permissions, and Debian's
// umask 022 leaves the group reading only: a teammate could then neither rebuild the bundle
// after a source changed nor prune an old one, and each of their commands ran from the slower
// TypeScript sources. Plain JavaScript, as cli-bundle.mjs is.
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const GROUP_WRITE = 0o020;
const GROUP_ALL = 0o070;

/**
 * Makes the folder `path` and any of its parents missing, as `mkdir -p` does, except that a
 * folder made inside a group-writable one gets that folder's group permissions too, so the
 * group may write what its members' commands make there. Inside a folder the group may not
 * write, the umask alone decides, as for any mkdir. Folders that already exist are left as
 * they are.
 *
 * @example
 * makeFolder(join(root, 'node_modules', '.cache', 'twitch-pipeline-cli')); // drwxrwsr-x under a clone of mode 2775
 * @param {string} path
 */
export function makeFolder(path) {
  const missing = [];
  for (let folder = resolve(path); !existsSync(folder); folder = dirname(folder)) missing.unshift(folder);
  for (const folder of missing) {
    const parent = statSync(dirname(folder)).mode;
    try {
      mkdirSync(folder);
    } catch (error) {
      // Another command making it at the same moment: theirs, made the same way.
      if (/** @type {NodeJS.ErrnoException} */ (error).code === 'EEXIST') continue;
      throw error;
    }
    // The setgid bit a shared folder carries, the kernel copies by itself.
    if (parent & GROUP_WRITE) chmodSync(folder, (statSync(folder).mode & 0o7777) | (parent & GROUP_ALL));
  }
}
