import { rmdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CliError } from './errors';

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
  return mkdir(dirname(file), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot write ${file}: cannot make its folder ${dirname(file)} (${error.code ?? error.message})`, { cause: error });
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
