import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let scratch: string;

beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'test-folder-'));
});

afterEach(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Loads the shared test configuration from a copy in `folder` (with the clone's packages) and returns how that went. */
async function loadSharedConfigIn(folder: string): Promise<{ code: number; stderr: string }> {
  await mkdir(folder, { recursive: true });
  await copyFile(join(ROOT, 'vitest.shared.ts'), join(folder, 'vitest.shared.ts'));
  await symlink(join(ROOT, 'node_modules'), join(folder, 'node_modules'));
  await writeFile(join(folder, 'package.json'), '{ "type": "module" }\n');
  await writeFile(join(folder, 'load.ts'), "await import('./vitest.shared.ts');\n");
  try {
    await run(process.execPath, ['--import', 'tsx', 'load.ts'], { cwd: folder });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failure = error as { code: number; stderr: string };
    return { code: failure.code, stderr: failure.stderr };
  }
}

describe('the folder the tests run from', () => {
  it('stops with what to do when its path holds "#", which Vite cannot load modules from', async () => {
    // act
    const hashed = await loadSharedConfigIn(join(scratch, 'repo #1'));
    const plain = await loadSharedConfigIn(join(scratch, "repo 1 ü's"));
    // assess
    expect(hashed.code).not.toBe(0);
    expect(hashed.stderr).toContain(`the tests cannot run from ${join(scratch, 'repo #1')}: Vite, which runs them, cannot load modules from a path that holds "#"`);
    expect(plain).toEqual({ code: 0, stderr: '' });
  });

  it('stops with what to do when its path holds "%", which Vite decodes as a URL escape', async () => {
    // act
    const percent = await loadSharedConfigIn(join(scratch, '100% done'));
    const escaped = await loadSharedConfigIn(join(scratch, 'a%20b'));
    // assess
    expect(percent.code).not.toBe(0);
    expect(percent.stderr).toContain(`the tests cannot run from ${join(scratch, '100% done')}: Vite, which runs them, cannot load modules from a path that holds "%"`);
    expect(escaped.code).not.toBe(0);
    expect(escaped.stderr).toContain('Clone or move the repository to a folder without "#" or "%"');
  });
});
