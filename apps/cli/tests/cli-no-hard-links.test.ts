import { link, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from './support/cli-process';
import { mountExfat } from './support/exfat';

// exFAT and FAT drives (and some network shares) have no hard links, and the data directory's
// lock was created with one: the demo refused such a folder as unwritable (EPERM).
const disk = await mountExfat();
const SUITE = 'a data directory on a file system without hard links (exFAT)';
if (disk.failure) console.log(`skipped "${SUITE}": could not mount exFAT (${disk.failure}); CI runs it as root with exfatprogs and exfat-fuse`);

afterAll(async () => {
  await disk.remove();
});

describe.skipIf(disk.failure !== undefined)(SUITE, () => {
  it('runs the demo and the commands after it, and leaves no lock behind', async () => {
    // prepare: the file system really refuses hard links
    await writeFile(join(disk.mountPoint, 'probe'), '');
    const linked = await link(join(disk.mountPoint, 'probe'), join(disk.mountPoint, 'probe-link')).then(() => 'linked', (error: NodeJS.ErrnoException) => error.code);
    const env = cliEnv(join(disk.mountPoint, 'data'));
    // act
    const start = await runCli(['start', '--channels', '300'], env);
    const query = await runCli(['query', '--saved', 'top_categories_by_hours', '--format', 'csv'], env);
    const cycle = await runCli(['run', '--channels', '300'], env);
    // assess
    expect(linked).toBe('EPERM');
    expect(start.stderr).not.toContain('cannot write');
    expect([start.code, query.code, cycle.code]).toEqual([0, 0, 0]);
    expect(query.stdout.split('\n').length).toBeGreaterThan(5);
    expect(await readdir(join(disk.mountPoint, 'data'))).not.toContain('pipeline.lock');
  });
});
