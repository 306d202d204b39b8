import { join, relative, resolve } from 'node:path';

/** The repository's scripts that run the command (package.json at its root). */
const COMMAND_SCRIPTS = new Set(['start', 'twitch-pipeline']);

/**
 * `npm start` and `npm run twitch-pipeline` run the command in the repository's root whatever
 * folder they were typed in (npm keeps that one in INIT_CWD). A path typed on the command line
 * (`--out`, a file in the SQL, PIPELINE_DATA_DIR) means the folder it was typed in, so the
 * command moves there; the default data directory stays the root's `data`, the one `npm start`
 * fills, and is given as a path from the typing folder. Anything else (`npx`, `node …`, a test
 * run) already runs where it was typed and is left as it is.
 *
 * @returns the environment to read the configuration from.
 * @example
 * env = followTypingFolder(env); // in a subfolder `reports`: cwd → reports, PIPELINE_DATA_DIR → ../data
 */
export function followTypingFolder(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const typedIn = env.INIT_CWD;
  if (!typedIn || !COMMAND_SCRIPTS.has(env.npm_lifecycle_event ?? '')) return env;
  const scriptFolder = process.cwd();
  if (resolve(typedIn) === scriptFolder) return env;
  try {
    process.chdir(typedIn);
  } catch {
    // Typed in a folder removed since: the root is the one place left to work from.
    return env;
  }
  if (env.PIPELINE_DATA_DIR) return env;
  return { ...env, PIPELINE_DATA_DIR: relative(process.cwd(), join(scriptFolder, 'data')) };
}
