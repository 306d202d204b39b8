import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parquetFileProblem } from '@twitch-pipeline/duckdb';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from './support/cli-process';
import { mountTmpfs } from './support/tmpfs';

const SUITE = 'npm start on a disk that fills up';

// A real full disk: a 12 MiB tmpfs, where the demo's lake needs about 40 MB. Mounting one needs
// root on Linux (CI runs as root); elsewhere the suite is skipped and says why.
const disk = await mountTmpfs('small-disk', '12m');
const mountPoint = disk.mountPoint;
const mountFailure = disk.failure;
if (mountFailure) console.log(`skipped "${SUITE}": it mounts a 12 MiB tmpfs, which needs root on Linux (${mountFailure}); CI runs it`);

afterAll(async () => {
  await disk.remove();
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe.skipIf(mountFailure !== undefined)(SUITE, () => {
  it('names the full disk and what to do, and leaves only whole objects in the lake', async () => {
    // prepare
    const dataDir = join(mountPoint, 'data');

    // act
    const result = await runCli(['start'], cliEnv(dataDir));

    // assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\ndemo failed: .*(ENOSPC|No space left on device)/);
    expect(result.stderr).toContain('  the disk is full: free space where the data directory is (PIPELINE_DATA_DIR)');
    const files = await filesUnder(join(dataDir, 'lake'));
    const parquet = files.filter((file) => file.endsWith('.parquet'));
    expect(parquet.length).toBeGreaterThan(0);
    expect(files.filter((file) => !file.endsWith('.parquet'))).toEqual([]);
    const problems = (await Promise.all(parquet.map(async (file) => [file, await parquetFileProblem(file)]))).filter(([, problem]) => problem);
    expect(problems).toEqual([]);
  });
});
