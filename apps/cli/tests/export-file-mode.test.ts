import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePage } from '../src/cli/temporary-beside';
import { cliEnv, runInProcess, temporaryDataDir } from './support/cli-process';

let dataDir: string;
let folder: string;

beforeAll(async () => {
  dataDir = await temporaryDataDir();
  folder = await mkdtemp(join(tmpdir(), 'export-mode-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(folder, { recursive: true, force: true });
});

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('a file replaced by an export or a page', () => {
  it('keeps the permissions its owner gave it, where the rename put the umask’s', async () => {
    // prepare: files made private by hand before being written again
    const exported = join(folder, 'private.csv');
    const page = join(folder, 'private.html');
    await writeFile(exported, 'old\n');
    await writeFile(page, 'old');
    await chmod(exported, 0o600);
    await chmod(page, 0o640);

    // act
    const result = await runInProcess(['query', 'SELECT 1 AS n', '--out', exported], cliEnv(dataDir));
    await writePage(page, '<p>new</p>', { page: 'the page', hint: 'write it elsewhere' });

    // assess
    expect(result.code).toBe(0);
    expect(await readFile(exported, 'utf8')).toBe('n\n1\n');
    expect(await readFile(page, 'utf8')).toBe('<p>new</p>');
    expect([await modeOf(exported), await modeOf(page)]).toEqual([0o600, 0o640]);
  });
});
