import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Checks the project out as Git for Windows does by default (core.autocrlf=true) and reads what
// lands on disk: a model's version is a hash of its SQL text, so CRLF there would mark every lake
// object as another version's, and the docs tests compare generated text line by line.
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Whether the project's folder is the top of a git checkout (not an archive, nor one unpacked inside another repository). */
async function isGitCheckout(): Promise<boolean> {
  try {
    const { stdout } = await run('git', ['rev-parse', '--show-toplevel'], { cwd: ROOT });
    return (await realpath(stdout.trim())) === (await realpath(ROOT));
  } catch {
    return false;
  }
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

const SUITE = 'line endings of a checkout with core.autocrlf=true';
const inCheckout = await isGitCheckout();
if (!inCheckout) console.log(`skipped "${SUITE}": this copy of the project is not a git checkout (an archive download), so there is nothing to check out; CI runs it in a clone`);

describe.runIf(inCheckout)(SUITE, () => {
  let checkout: string;
  let files: string[];

  beforeAll(async () => {
    // prepare + act: every tracked file as that checkout writes it
    checkout = await mkdtemp(join(tmpdir(), 'crlf-checkout-'));
    await run('git', ['-c', 'core.autocrlf=true', 'checkout-index', '--all', `--prefix=${checkout}/`], { cwd: ROOT });
    files = await filesUnder(checkout);
  });

  afterAll(async () => {
    await rm(checkout, { recursive: true, force: true });
  });

  it('writes the SQL models, docs and sources with LF only', async () => {
    // act
    const withCarriageReturns: string[] = [];
    for (const file of files.filter((path) => !path.endsWith('.png'))) {
      if ((await readFile(file, 'utf8')).includes('\r')) withCarriageReturns.push(relative(checkout, file));
    }
    // assess
    expect(files.some((file) => file.endsWith('silver_streams.sql'))).toBe(true);
    expect(withCarriageReturns).toEqual([]);
  });

  it('leaves the images byte for byte as committed', async () => {
    // prepare
    const image = 'docs/images/dashboard.png';
    // act
    const [written, committed] = await Promise.all([
      readFile(join(checkout, image)),
      run('git', ['cat-file', 'blob', `:${image}`], { cwd: ROOT, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }),
    ]);
    // assess
    expect(written.equals(committed.stdout)).toBe(true);
  });
});
