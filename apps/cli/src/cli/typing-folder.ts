import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's scripts that run the command (package.json at its root). */
const COMMAND_SCRIPTS = new Set(['start', 'twitch-pipeline']);

/** The repository this command belongs to (this file is apps/cli/src/cli/ in it). */
const REPOSITORY = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * The default data directory: the repository's `data`, the one `npm start` fills, whichever
 * folder the command runs in. Named from `folder` when that lies in the repository (`./data`,
 * `../data`), else in full.
 *
 * @example
 * defaultDataDir(join(repository, 'docs')); // '../data'
 */
export function defaultDataDir(folder: string, repository: string = REPOSITORY): string {
  const data = join(repository, 'data');
  const inside = relative(repository, folder);
  if (inside.startsWith('..') || isAbsolute(inside)) return data;
  const fromFolder = relative(folder, data);
  return fromFolder.startsWith('..') ? fromFolder : `.${sep}${fromFolder}`;
}

/**
 * Paths typed on the command line (`--out`, a file in the SQL, PIPELINE_DATA_DIR) mean the folder
 * they were typed in. npm runs a package script in the repository's root whatever folder it was
 * typed in (it keeps that one in INIT_CWD), so under `npm start` and `npm run twitch-pipeline` the
 * command moves back there first; `npx` and `node …` already run there, and are left as they are.
 *
 * @example
 * moveToTypingFolder(process.env); // typed in the subfolder `reports`: cwd → reports
 */
export function moveToTypingFolder(env: NodeJS.ProcessEnv): void {
  const typedIn = env.INIT_CWD;
  if (!typedIn || !COMMAND_SCRIPTS.has(env.npm_lifecycle_event ?? '') || resolve(typedIn) === process.cwd()) return;
  try {
    process.chdir(typedIn);
  } catch {
    // Typed in a folder removed since: the script's folder is the one place left to work from.
  }
}
