import { randomUUID } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readlink, realpath, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { publishFile, writeSyncedFile } from '@twitch-pipeline/storage';
import { isGoneHere, processPlace } from '../runtime/process-alive';
import { CliError, unwritableCodeOf } from './errors';
import { folderErrorCode } from './export-folder';

const PAGE_SUFFIX = '.tmp';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A hidden temporary beside `target` (`.<name>.<host>@<pid namespace>.<pid>.<uuid><suffix>`),
 * written first and renamed over `target` once whole. It names the place (see `processPlace`)
 * and the process that writes it, so a later write of the same target can tell one whose writer
 * was killed outright (see {@link removeAbandonedTemporaries}).
 *
 * @example
 * temporaryBeside('out/top.parquet', '.partial'); // 'out/.top.parquet.laptop@4026531836.4242.0f1e….partial'
 */
export function temporaryBeside(target: string, suffix: string): string {
  return join(dirname(target), `.${basename(target)}.${processPlace()}.${process.pid}.${randomUUID()}${suffix}`);
}

/**
 * Removes the temporaries of `target` that processes of this host and pid namespace left when
 * they were killed without a chance to clean up (`kill -9`, the out-of-memory killer): those whose
 * process no longer runs. Another host's or container's temporaries, and those of a process still
 * running, stay. A folder
 * that cannot be listed leaves nothing to remove here; writing the target then reports it.
 *
 * @returns the names removed.
 * @example
 * await removeAbandonedTemporaries('out/top.parquet', '.partial'); // ['.top.parquet.laptop.4242.0f1e….partial']
 */
export async function removeAbandonedTemporaries(target: string, suffix: string): Promise<string[]> {
  const pattern = new RegExp(`^\\.${escapeRegExp(basename(target))}\\.(.+@[^@.]+)\\.(\\d+)\\.${UUID}${escapeRegExp(suffix)}$`);
  const names = await readdir(dirname(target)).catch(() => [] as string[]);
  const abandoned = names.filter((name) => {
    const writer = pattern.exec(name);
    return writer !== null && isGoneHere(writer[1]!, Number(writer[2]));
  });
  // One that cannot be removed (a folder this user may only read) is no reason to fail the write.
  const removed = await Promise.allSettled(abandoned.map((name) => rm(join(dirname(target), name), { force: true })));
  return abandoned.filter((_, index) => removed[index]!.status === 'fulfilled');
}

/**
 * Gives `temporary` the permissions of the `target` it is about to replace: the rename would
 * otherwise put the umask's `rw-r--r--` in place of a file its owner had made private (`chmod 600`).
 * A new target keeps the temporary's own.
 *
 * @example
 * await keepModeOf('out/.top.csv.….partial', 'out/top.csv'); // out/top.csv was 0600: so is the temporary
 */
export async function keepModeOf(temporary: string, target: string): Promise<void> {
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isFile()) await chmod(temporary, existing.mode & 0o7777);
}

/**
 * The file a write to `path` should replace: `path` itself, or the file its link (and the links
 * after it) points to, also when that file does not exist yet, so that the link is kept rather
 * than replaced by the rename that publishes the write.
 *
 * @example
 * await writeTargetOf('reports/latest.csv'); // '/srv/reports/2026-12-06.csv' when latest.csv links there
 */
export async function writeTargetOf(path: string): Promise<string> {
  const existing = await stat(path).catch(() => undefined);
  if (existing) return realpath(path);
  let current = path;
  // A dangling link: follow it by hand (realpath needs the end to exist); a loop is left to the write's error.
  for (let hops = 0; hops < 40; hops += 1) {
    const info = await lstat(current).catch(() => undefined);
    if (!info?.isSymbolicLink()) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  return path;
}

/**
 * Writes a page (the dashboard, a profile) whole or not at all: its folder is created, abandoned
 * temporaries of it are removed, and the content goes through a temporary beside it. A link is
 * followed, as `query --out` does: the file it points to is replaced and the link kept. A target
 * that is a folder, a device, pipe or socket, or a place that cannot be written (read-only,
 * another user's), is a {@link CliError} naming the page and `hint` (what else to do), not the
 * rename's bare error.
 *
 * @example
 * await writePage('reports/gaules.html', html, { page: 'the profile page', hint: 'write it elsewhere' });
 */
export async function writePage(target: string, content: string, about: { page: string; hint: string }): Promise<void> {
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory()) throw new CliError(`cannot write ${about.page} to ${target}: it is a folder`, { hint: about.hint });
  // The page goes in by a rename, which would replace a device, pipe or socket rather than write to it.
  if (existing && !existing.isFile()) throw new CliError(`cannot write ${about.page} to ${target}: it is not a regular file`, { hint: about.hint });
  // Renamed over a link, the page would replace the link and leave the file it points to as it was.
  const file = await writeTargetOf(target);
  try {
    await mkdir(dirname(file), { recursive: true }).catch(async (error: NodeJS.ErrnoException) => {
      // A file where a folder of the path should be (`report.csv/page.html`), or a place that cannot be written.
      const code = await folderErrorCode(error, dirname(file));
      if (code !== 'ENOTDIR' && code !== 'EEXIST' && !unwritableCodeOf({ code })) throw error;
      throw new CliError(`cannot write ${about.page} to ${target}: cannot make its folder ${dirname(file)} (${code})`, { cause: error, hint: about.hint });
    });
    await removeAbandonedTemporaries(file, PAGE_SUFFIX);
    const temporary = temporaryBeside(file, PAGE_SUFFIX);
    try {
      await writeSyncedFile(temporary, content);
      await keepModeOf(temporary, file);
      await publishFile(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  } catch (error) {
    const code = unwritableCodeOf(error);
    if (!code) throw error;
    throw new CliError(`cannot write ${about.page} to ${target} (${code})`, { cause: error, hint: about.hint });
  }
}
