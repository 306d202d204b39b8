import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';

/**
 * Bytes read through file handles while `action` runs: what a lookup or a scan costs in reads.
 *
 * @example
 * const bytes = await bytesReadDuring(() => table.skippedLines());
 */
export async function bytesReadDuring(action: () => Promise<unknown>): Promise<number> {
  const probe = await open(join(tmpdir(), `probe-${process.pid}`), 'w');
  const fileHandle = Object.getPrototypeOf(probe) as { read(buffer: Buffer, offset: number, length: number): Promise<unknown> };
  await probe.close();
  const read = vi.spyOn(fileHandle, 'read');
  try {
    await action();
    return read.mock.calls.reduce((sum, [, , length]) => sum + length, 0);
  } finally {
    read.mockRestore();
  }
}
