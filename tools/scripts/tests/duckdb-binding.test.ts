import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseBindingSource, DUCKDB_BINDING_FILES, fetchBinding, lambdaDuckdbBinding, type PackFunction } from '../duckdb-binding';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const VERSION = '1.5.6-r.1';

let scratch: string;

beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'duckdb-binding-'));
});

afterEach(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A complete installed binding folder in `directory`. */
async function installedFolder(directory: string): Promise<string> {
  await mkdir(directory, { recursive: true });
  for (const file of DUCKDB_BINDING_FILES) await writeFile(join(directory, file), file);
  return directory;
}

/** Stands in for `npm pack`: a real .tgz laid out like npm's (a `package/` folder) with `files`. */
function fakeRegistry(files: string[]): { pack: PackFunction; calls: string[] } {
  const calls: string[] = [];
  const pack: PackFunction = async (spec, destination) => {
    calls.push(spec);
    const source = await mkdtemp(join(scratch, 'registry-'));
    await mkdir(join(source, 'package'));
    for (const file of files) await writeFile(join(source, 'package', file), `${file} of ${spec}`);
    const tarball = join(destination, 'binding.tgz');
    await run('tar', ['-czf', tarball, '-C', source, 'package']);
    return tarball;
  };
  return { pack, calls };
}

describe('chooseBindingSource', () => {
  it('uses the installed linux-x64 binding when it has the version the API loads', async () => {
    // prepare
    const directory = await installedFolder(join(scratch, 'installed'));

    // act
    const source = chooseBindingSource(VERSION, { version: VERSION, directory });

    // assess
    expect(source).toEqual({ kind: 'installed', directory });
  });

  it('goes to the registry on a host without it (macOS, ARM, musl), with another version, or with files missing', async () => {
    // prepare
    const complete = await installedFolder(join(scratch, 'complete'));
    const incomplete = join(scratch, 'incomplete');
    await mkdir(incomplete);
    await writeFile(join(incomplete, 'package.json'), '{}');

    // act
    const sources = [
      chooseBindingSource(VERSION, undefined),
      chooseBindingSource(VERSION, { version: '1.4.0-r.1', directory: complete }),
      chooseBindingSource(VERSION, { version: VERSION, directory: incomplete }),
    ];

    // assess
    const registry = { kind: 'registry', spec: `@duckdb/node-bindings-linux-x64@${VERSION}`, version: VERSION };
    expect(sources).toEqual([registry, registry, registry]);
  });
});

describe('fetchBinding', () => {
  it('unpacks the registry tarball into the cache once per version', async () => {
    // prepare
    const registry = fakeRegistry(DUCKDB_BINDING_FILES);
    const cache = join(scratch, 'cache');

    // act
    const first = await fetchBinding(`@duckdb/node-bindings-linux-x64@${VERSION}`, VERSION, cache, registry.pack);
    const second = await fetchBinding(`@duckdb/node-bindings-linux-x64@${VERSION}`, VERSION, cache, registry.pack);

    // assess
    expect(second).toBe(first);
    expect(registry.calls).toEqual([`@duckdb/node-bindings-linux-x64@${VERSION}`]);
    expect((await readdir(first)).sort()).toEqual([...DUCKDB_BINDING_FILES].sort());
    expect(await readFile(join(first, 'duckdb.node'), 'utf8')).toBe(`duckdb.node of @duckdb/node-bindings-linux-x64@${VERSION}`);
    expect(await readdir(cache)).toEqual([`node-bindings-linux-x64-${VERSION}`]);
  });

  it('refuses a package without the native library and leaves nothing in the cache', async () => {
    // prepare
    const registry = fakeRegistry(['package.json', 'duckdb.node']);
    const cache = join(scratch, 'cache');

    // act
    const fetching = fetchBinding(`@duckdb/node-bindings-linux-x64@${VERSION}`, VERSION, cache, registry.pack);

    // assess
    await expect(fetching).rejects.toThrow(`@duckdb/node-bindings-linux-x64@${VERSION}: the package has no libduckdb.so`);
    expect(await readdir(cache)).toEqual([]);
  });
});

const linuxX64Glibc = process.platform === 'linux' && process.arch === 'x64' && existsSync(join(ROOT, 'node_modules/@duckdb/node-bindings-linux-x64'));

describe('lambdaDuckdbBinding', () => {
  if (!linuxX64Glibc) console.log('skipped: the installed-binding check needs a linux-x64 glibc host (npm installs the binding only there)');

  it.runIf(linuxX64Glibc)(
    'takes the installed binding on a linux-x64 glibc host, without the registry',
    async () => {
      // prepare
      const cache = join(scratch, 'cache');

      // act
      const directory = await lambdaDuckdbBinding(join(ROOT, 'apps/transform'), cache);

      // assess
      expect(directory).toBe(join(ROOT, 'node_modules/@duckdb/node-bindings-linux-x64'));
      expect(existsSync(cache)).toBe(false);
    },
  );
});
