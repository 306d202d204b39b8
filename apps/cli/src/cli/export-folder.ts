import { constants, rmdirSync } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CliError } from './errors';

/**
 * The code of a failed `mkdir(folder, { recursive: true })` as the user should read it. Node 20
 * reports a folder that cannot be made on a read-only file system as ENOENT, which sends the user
 * looking for a missing folder: then the nearest folder that exists is asked whether it can be
 * written, and its EROFS or EACCES is the answer.
 *
 * @example
 * await mkdir(folder, { recursive: true }).catch(async (error) => { throw new Error(await folderErrorCode(error, folder)); });
 */
export async function folderErrorCode(error: NodeJS.ErrnoException, folder: string): Promise<string> {
  if (error.code !== 'ENOENT') return error.code ?? error.message;
  let nearest = dirname(folder);
  while (dirname(nearest) !== nearest && !(await stat(nearest).catch(() => undefined))) nearest = dirname(nearest);
  return access(nearest, constants.W_OK).then(
    () => 'ENOENT',
    (denied: NodeJS.ErrnoException) => denied.code ?? 'ENOENT',
  );
}

/**
 * Makes the export's folder when missing, as `dashboard` and the profile pages do, so that
 * `--out data/…` works whichever data directory the commands use; only after the data directory
 * was found, so that a mistyped one is refused rather than made. Returns the first folder it
 * made (undefined when none was missing), for {@link removeMadeFolders}.
 *
 * @example
 * const made = await makeFolderOf('/home/ana/reports/2026/top.csv'); // '/home/ana/reports' when it was missing
 */
export async function makeFolderOf(file: string): Promise<string | undefined> {
  return mkdir(dirname(file), { recursive: true }).catch(async (error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot write ${file}: cannot make its folder ${dirname(file)} (${await folderErrorCode(error, dirname(file))})`, { cause: error });
  });
}

/**
 * Removes the folders {@link makeFolderOf} made for an export that then failed or was stopped,
 * deepest first up to `top`: a failed export leaves nothing behind, and a refused one (exit code
 * 2) did nothing. Synchronous, so that a Ctrl-C handler can run it before the process exits.
 *
 * @example
 * if (made !== undefined) removeMadeFolders('/home/ana/reports/2026/top.csv', made);
 */
export function removeMadeFolders(file: string, top: string): void {
  for (let folder = dirname(file); ; folder = dirname(folder)) {
    // rmdir removes only an empty folder: whatever another process put there meanwhile stays.
    try {
      rmdirSync(folder);
    } catch {
      return;
    }
    if (folder === top || dirname(folder) === folder) return;
  }
}
