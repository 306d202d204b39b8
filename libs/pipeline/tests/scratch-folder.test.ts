import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@twitch-pipeline/observability';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearScratchLeftovers, lambdaScratchFolder } from '../src/index';

const IN_LAMBDA = { LAMBDA_TASK_ROOT: '/var/task' };
const folders: string[] = [];

/** A function's temporary folder as a cut-off extract leaves it, beside another function's and a foreign file. */
async function temporaryFolderWithLeftovers(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'lambda-tmp-'));
  folders.push(folder);
  await mkdir(join(folder, 'extract', 'extract-a1b2c3'), { recursive: true });
  await writeFile(join(folder, 'extract', 'extract-a1b2c3', 'bronze.parquet'), 'PAR1');
  await mkdir(join(folder, 'extract', 'duckdb-spill-d4e5f6'));
  await mkdir(join(folder, 'publish', 'publish-f7a8b9'), { recursive: true });
  await writeFile(join(folder, 'other-tool.log'), 'not ours');
  return folder;
}

afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

describe('lambdaScratchFolder', () => {
  it('is one folder per function under TMPDIR', () => {
    // act
    const folder = lambdaScratchFolder('extract', { TMPDIR: '/tmp' });

    // assess
    expect(folder).toBe(join('/tmp', 'extract'));
    expect(lambdaScratchFolder('gold', {})).toBe(join(tmpdir(), 'gold'));
  });
});

describe('clearScratchLeftovers', () => {
  it('empties only the function\'s own folder in Lambda and warns that a run was cut off', async () => {
    // prepare
    const folder = await temporaryFolderWithLeftovers();
    const logger = createLogger('extract');
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // act
    const removed = clearScratchLeftovers(lambdaScratchFolder('extract', { TMPDIR: folder }), IN_LAMBDA, logger);

    // assess
    expect(removed).toBe(2);
    expect(await readdir(join(folder, 'extract'))).toEqual([]);
    expect(await readdir(join(folder, 'publish'))).toEqual(['publish-f7a8b9']);
    expect(await readdir(folder)).toEqual(expect.arrayContaining(['other-tool.log']));
    expect(warn.mock.calls).toEqual([[expect.stringContaining('earlier invocation left'), { entries: 2 }]]);
  });

  it('leaves everything alone outside Lambda, where the temporary folder may be shared', async () => {
    // prepare
    const folder = await temporaryFolderWithLeftovers();

    // act
    const removed = clearScratchLeftovers(join(folder, 'extract'), {});

    // assess
    expect(removed).toBe(0);
    expect((await readdir(join(folder, 'extract'))).sort()).toEqual(['duckdb-spill-d4e5f6', 'extract-a1b2c3']);
  });

  it('finds nothing to do on a fresh environment, whose folder does not exist yet', async () => {
    // prepare
    const folder = await temporaryFolderWithLeftovers();
    const logger = createLogger('publish');
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // act
    const removed = clearScratchLeftovers(join(folder, 'gold'), IN_LAMBDA, logger);

    // assess
    expect(removed).toBe(0);
    expect(warn).not.toHaveBeenCalled();
  });
});
