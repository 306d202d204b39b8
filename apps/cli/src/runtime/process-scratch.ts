import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGoneHere, processPlace } from './process-alive';

/** A scratch folder's name: the pid and place (see `processPlace`) of the process that made it, and mkdtemp's suffix. */
const SCRATCH_NAME = /^(\d+)@(.+@[^@]+)-[A-Za-z0-9]{6}$/;

/** The scratch folder of this process, once claimed. */
export interface ProcessScratch {
  folder: string;
  /** How many folders of processes that no longer run were removed when it was claimed. */
  swept: number;
  /** Removes the folder now rather than at exit. */
  release(): void;
}

function removeQuietly(path: string): boolean {
  try {
    rmSync(path, { recursive: true, force: true });
    return true;
  } catch {
    return false;
  }
}

/** The user's own folder under `base`, made if missing; undefined when it is not safely theirs. */
function userRoot(base: string): string | undefined {
  const uid = process.getuid?.();
  const root = join(base, `twitch-pipeline-${uid ?? 'user'}`);
  try {
    mkdirSync(root, { recursive: true, mode: 0o700 });
    const found = lstatSync(root);
    // Another user could have made this name first in a shared /tmp (or put a link there).
    if (!found.isDirectory() || (uid !== undefined && found.uid !== uid)) return undefined;
    return root;
  } catch {
    return undefined;
  }
}

/** Removes the folders of processes of this host and pid namespace that no longer run; returns how many. */
function sweepGoneProcesses(root: string): number {
  let swept = 0;
  for (const name of readdirSync(root)) {
    const owner = SCRATCH_NAME.exec(name);
    if (!owner || !isGoneHere(owner[2]!, Number(owner[1]))) continue;
    if (removeQuietly(join(root, name))) swept += 1;
  }
  return swept;
}

/**
 * Gives this process a scratch folder of its own and points the temporary folder at it
 * (`TMPDIR`, and `TEMP`/`TMP` on Windows), so that everything the command and its worker
 * threads put there (DuckDB's spill files, a snapshot before it is published, a workspace's
 * downloads) lies in one folder, removed when the process exits. A process that never reaches
 * its exit (killed, out of memory, a second Ctrl-C that ends it by the signal) leaves its folder
 * behind: the next command on this machine removes it, once the process that made it no longer
 * runs. The folder is `<temporary folder>/twitch-pipeline-<uid>/<pid>@<host>@<pid namespace>-XXXXXX`; where that
 * user folder is not safely the user's own, the command keeps the temporary folder as it was.
 * Scratch only saves space: nothing here ever fails a command.
 *
 * @example
 * const scratch = claimProcessScratch(); // scratch?.folder is '/tmp/twitch-pipeline-1000/4242@laptop@4026531836-Ab12Cd'
 */
export function claimProcessScratch(env: NodeJS.ProcessEnv = process.env, base: string = tmpdir()): ProcessScratch | undefined {
  const root = userRoot(base);
  if (!root) return undefined;
  let swept = 0;
  let folder: string;
  try {
    swept = sweepGoneProcesses(root);
    folder = mkdtempSync(join(root, `${process.pid}@${processPlace()}-`));
  } catch {
    return undefined;
  }
  env.TMPDIR = folder;
  if (process.platform === 'win32') {
    env.TEMP = folder;
    env.TMP = folder;
  }
  const release = () => {
    process.off('exit', release);
    removeQuietly(folder);
  };
  process.on('exit', release);
  return { folder, swept, release };
}
