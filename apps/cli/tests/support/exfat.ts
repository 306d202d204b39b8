import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A real exFAT file system (no hard links, as on a USB drive) for a test, or why it could not be made. */
export interface ExfatDisk {
  mountPoint: string;
  /** What failed (it needs root, a loop device, and Debian's exfatprogs and exfat-fuse); undefined once mounted. */
  failure?: string;
  /** Unmounts it (when mounted) and removes its image and mount point. */
  remove(): Promise<void>;
}

const firstLine = (error: Error & { stderr?: string }) => (error.stderr?.trim() || error.message).split('\n')[0]!;

/**
 * Formats a 64 MB image as exFAT and mounts it through FUSE on a fresh folder.
 *
 * @example
 * const disk = await mountExfat();
 * if (disk.failure) console.log(`skipped: ${disk.failure}`);
 */
export async function mountExfat(): Promise<ExfatDisk> {
  const folder = await mkdtemp(join(tmpdir(), 'twitch-pipeline-exfat-'));
  const image = join(folder, 'disk.img');
  const mountPoint = join(folder, 'mnt');
  let device: string | undefined;
  let failure: string | undefined;
  try {
    await run('truncate', ['-s', '64M', image]);
    await run('mkfs.exfat', [image]);
    device = (await run('losetup', ['-f', '--show', image])).stdout.trim();
    await run('mkdir', [mountPoint]);
    await run('mount.exfat-fuse', [device, mountPoint]);
  } catch (error) {
    failure = firstLine(error as Error);
  }
  return {
    mountPoint,
    failure,
    async remove() {
      if (!failure) await run('umount', [mountPoint]);
      if (device) await run('losetup', ['-d', device]);
      await rm(folder, { recursive: true, force: true });
    },
  };
}
