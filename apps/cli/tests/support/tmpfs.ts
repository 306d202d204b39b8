import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A real small file system for a test: where it is mounted, or why it could not be. */
export interface Tmpfs {
  mountPoint: string;
  /** The first line of mount's error (it needs root on Linux); undefined once mounted. */
  failure?: string;
  /** Unmounts it (when mounted) and removes the mount point. */
  remove(): Promise<void>;
}

/**
 * Mounts a tmpfs of `size` (e.g. `12m`) on a fresh folder of the temporary folder.
 *
 * @example
 * const disk = await mountTmpfs('small-disk', '12m');
 * if (disk.failure) console.log(`skipped: ${disk.failure}`);
 */
export async function mountTmpfs(name: string, size: string): Promise<Tmpfs> {
  const mountPoint = await mkdtemp(join(tmpdir(), `twitch-pipeline-${name}-`));
  const failure = await run('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint]).then(
    () => undefined,
    (error: Error & { stderr?: string }) => (error.stderr?.trim() || error.message).split('\n')[0],
  );
  return {
    mountPoint,
    failure,
    async remove() {
      if (!failure) await run('umount', [mountPoint]);
      await rm(mountPoint, { recursive: true, force: true });
    },
  };
}

/**
 * Remounts a mounted tmpfs read-only: what is on it stays readable, every write fails with EROFS.
 *
 * @example
 * await remountReadOnly(disk.mountPoint);
 */
export async function remountReadOnly(mountPoint: string): Promise<void> {
  await run('mount', ['-o', 'remount,ro', mountPoint]);
}
