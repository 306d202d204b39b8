import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { exportFormatOfPath } from '../lake/query-export';
import { PROGRAM } from './command';
import { usageError } from './errors';

/**
 * The absolute file `--out` names for a page (the dashboard, a profile). A name that says data
 * (`.csv`, `.json`, `.parquet`, `.csv.gz`, as `query --out` reads names) is a usage error before
 * any work: the page is HTML, and under such a name the spreadsheet or script meant to read it
 * would fail on it later. So is `-`, which to a shell user means standard output (the page would
 * land in a file named `-`), and a blank name. So is a folder, before the page is built rather than
 * once it is to be written.
 *
 * @example
 * const file = pageTargetOf('report.html', { page: 'the dashboard', command: 'dashboard', forData: 'query "SELECT …" --out FILE.csv' });
 */
export function pageTargetOf(out: string, about: { page: string; command: string; forData: string }): string {
  if (out.trim() === '' || out.trim() === '-') {
    throw usageError(
      `--out ${JSON.stringify(out)} names no file: ${about.page} is written to a file, not to standard output; give a name ending in .html`,
      `${PROGRAM} ${about.command} --help`,
    );
  }
  const format = exportFormatOfPath(out);
  if (format) {
    throw usageError(
      `--out ${out} names a ${format.toUpperCase()} file, but ${about.page} is an HTML page: give a name ending in .html, or for the data: ${PROGRAM} ${about.forData}`,
      `${PROGRAM} ${about.command} --help`,
    );
  }
  const file = resolve(out);
  if (isFolder(file)) {
    throw usageError(
      `--out ${file} is a folder, but ${about.page} is written to a file: give a name ending in .html, such as ${join(out, `${about.command}.html`)}`,
      `${PROGRAM} ${about.command} --help`,
    );
  }
  return file;
}

/** Whether `path` is a folder; one that cannot be reached is left for the write to name. */
function isFolder(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}
