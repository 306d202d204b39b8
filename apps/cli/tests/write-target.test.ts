import { lstat, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePage, writeTargetOf } from '../src/cli/temporary-beside';

describe('writeTargetOf', () => {
  it('follows a link to the file it points to, also when that file does not exist yet, so the link is kept', async () => {
    // prepare: latest.html links to a page not written yet, in a folder not made yet; plain.html is no link
    const folder = await mkdtemp(join(tmpdir(), 'write-target-'));
    await symlink(join('reports', 'page.html'), join(folder, 'latest.html'));
    await symlink('latest.html', join(folder, 'chained.html'));

    // act
    const targets = await Promise.all(['latest.html', 'chained.html', 'plain.html'].map((name) => writeTargetOf(join(folder, name))));
    await writePage(join(folder, 'chained.html'), '<html>1</html>', { page: 'the dashboard', hint: 'write it elsewhere' });

    // assess
    expect(targets).toEqual([join(folder, 'reports', 'page.html'), join(folder, 'reports', 'page.html'), join(folder, 'plain.html')]);
    expect((await lstat(join(folder, 'chained.html'))).isSymbolicLink()).toBe(true);
    expect((await lstat(join(folder, 'latest.html'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(folder, 'reports', 'page.html'), 'utf8')).toBe('<html>1</html>');
    await rm(folder, { recursive: true, force: true });
  });
});
