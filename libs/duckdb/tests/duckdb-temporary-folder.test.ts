import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPipelineInstance, TemporaryFolderError } from '../src/index';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'duckdb-temporary-folder-test-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('a temporary folder DuckDB cannot spill into', () => {
  it('fails with an error that names the folder and TMPDIR, and what to do', async () => {
    // prepare: a regular file where the folder's parent should be, which refuses root too
    const file = join(directory, 'a-file');
    await writeFile(file, 'not a folder\n');
    const folder = join(file, 'spill');

    // act
    const opened = openPipelineInstance({ tempDirectory: folder });

    // assess
    const error = await opened.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(TemporaryFolderError);
    expect(error).toMatchObject({ folder, code: 'ENOTDIR' });
    expect((error as Error).message).toBe(
      `the temporary folder ${folder} (TMPDIR) is not writable (ENOTDIR): DuckDB keeps its spill files there; set TMPDIR to a folder you can write`,
    );
  });
});
