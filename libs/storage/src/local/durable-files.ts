import { link, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';

/**
 * Codes a directory `open` or `fsync` may fail with on platforms that cannot sync a directory
 * (Windows, some network filesystems); there the rename itself is all the durability on offer.
 */
const DIRECTORY_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EINVAL', 'EPERM', 'EACCES', 'ENOTSUP']);

/**
 * Flushes a file's data and metadata to the disk (`fsync`).
 *
 * @example
 * await syncFile('./data/queue/tmp/abc.tmp');
 */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Flushes a directory's entries to the disk, so that a rename or a new file in it survives a
 * power loss (a renamed file whose directory was not synced may be missing after a reboot).
 *
 * @example
 * await rename(temporary, target);
 * await syncDirectory(dirname(target));
 */
export async function syncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(directory, 'r');
  } catch (error) {
    if (DIRECTORY_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!DIRECTORY_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle.close();
  }
}

/**
 * `mkdir -p` whose new directories survive a power loss: the parent of each directory it
 * created is flushed, from the outermost new one inwards.
 *
 * @example
 * await makeDirectoryDurably('./data/lake/raw/streams/dt=2026-11-29');
 */
export async function makeDirectoryDurably(directory: string): Promise<void> {
  const first = await mkdir(directory, { recursive: true });
  if (first === undefined) return;
  const target = resolve(directory);
  let created = resolve(first);
  await syncDirectory(dirname(created));
  while (created !== target) {
    await syncDirectory(created);
    created = resolve(created, relative(created, target).split(/[\\/]/)[0]!);
  }
}

/**
 * Writes `body` to `temporary`, flushed to the disk, ready for {@link publishFile}.
 *
 * @example
 * await writeSyncedFile(temporary, JSON.stringify(record));
 */
export async function writeSyncedFile(temporary: string, body: Uint8Array | string): Promise<void> {
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(body);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Publishes a file already flushed to the disk under its final name: `rename` (atomic on one
 * filesystem), then syncs the target's directory (and the temporary's, when it differs), so
 * that after a power loss the final name holds either the old file or the whole new one.
 *
 * @example
 * await writeSyncedFile(temporary, bytes);
 * await publishFile(temporary, target);
 */
export async function publishFile(temporary: string, target: string): Promise<void> {
  await rename(temporary, target);
  await syncDirectory(dirname(target));
  if (dirname(temporary) !== dirname(target)) await syncDirectory(dirname(temporary));
}

/**
 * The durable atomic write: a temporary file in the target's directory, flushed, renamed over
 * the target, the directory flushed. A crash at any point leaves the old file or the new one
 * under `target`, never an empty or torn one; the temporary is removed on error.
 *
 * @example
 * await writeFileDurably('./data/runs/x.json', JSON.stringify(record), './data/runs/.tmp-x.json');
 */
export async function writeFileDurably(target: string, body: Uint8Array | string, temporary: string): Promise<void> {
  try {
    await writeSyncedFile(temporary, body);
    await publishFile(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Codes `link` fails with where the file system has no hard links (exFAT and FAT drives, some
 * network shares) or the two names are on different devices.
 */
const HARD_LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Like {@link writeFileDurably} but never replaces an existing target: the flushed temporary is
 * hard-linked to `target` (`link` fails with `EEXIST` when the name is taken), so creation is
 * atomic and exclusive across processes. Returns false when the target already existed. Where
 * the file system has no hard links, the target is created exclusively (`O_EXCL`) and written
 * in one call: still exclusive, but a reader may meet it empty for that instant, and a crash
 * there leaves it empty. The data directory's lock treats a young empty one as being written;
 * the alert ledger's claims are made by the commands that hold that lock, so no other claimer reads them meanwhile.
 *
 * @example
 * if (await createFileDurably(path, JSON.stringify(record), `${path}.tmp`)) console.log('created');
 */
export async function createFileDurably(target: string, body: Uint8Array | string, temporary: string): Promise<boolean> {
  try {
    await writeSyncedFile(temporary, body);
    try {
      await link(temporary, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') return false;
      if (!HARD_LINK_UNSUPPORTED.has(code)) throw error;
      return await createExclusively(target, body);
    }
    await syncDirectory(dirname(target));
    return true;
  } finally {
    await rm(temporary, { force: true });
  }
}

async function createExclusively(target: string, body: Uint8Array | string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(target, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(body);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await syncDirectory(dirname(target));
  return true;
}

/**
 * The names in a folder, or none when the folder does not exist (a queue or table never written,
 * or a lake copied without it); any other failure is raised.
 *
 * @example
 * await namesInFolder('./data/queue/ready'); // [] before the first send
 */
export async function namesInFolder(folder: string): Promise<string[]> {
  return readdir(folder).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
}
