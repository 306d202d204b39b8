import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type BundleSpec, buildBundle, cliBundleSpec, currentBundle, pruneBundles } from '../bin/cli-bundle.mjs';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const folders: string[] = [];

/** A tiny workspace: an entry that imports a helper and reports its own URL, and one worker. */
async function fixtureWorkspace(folderName = 'cli-bundle-'): Promise<BundleSpec> {
  const root = await mkdtemp(join(tmpdir(), folderName));
  folders.push(root);
  const src = join(root, 'app', 'src');
  await mkdir(join(src, 'runtime'), { recursive: true });
  await writeFile(join(src, 'greeting.ts'), "export const greeting = (name: string): string => 'hello ' + name;\n");
  await writeFile(
    join(src, 'main.ts'),
    "import { greeting } from './greeting';\nexport const sourceUrl: string = import.meta.url;\nexport const main = (): string => greeting('bundle');\n",
  );
  await writeFile(join(src, 'runtime', 'echo-worker.ts'), "import { greeting } from '../greeting';\nexport const echo = greeting('worker');\n");
  return { root, entry: join(src, 'main.ts'), workers: [join(src, 'runtime', 'echo-worker.ts')], cacheDir: join(root, 'cache') };
}

async function importFrom(dir: string, file: string): Promise<Record<string, unknown>> {
  return import(`${pathToFileURL(join(dir, file)).href}?${Date.now()}`);
}

afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

describe('the CLI bundle', () => {
  it('is built in a workspace whose folder name holds "*" and "?", which esbuild would read as a pattern', async () => {
    // prepare
    const spec = await fixtureWorkspace('cli bundle *? ');
    // act
    const built = await buildBundle(spec);
    // Node loads the bundle as the launcher does; Vitest's own loader reads "?" in a path as a query.
    const url = pathToFileURL(join(built, 'main.mjs')).href;
    const script = `const m = await import(${JSON.stringify(url)}); console.log(JSON.stringify([m.main(), m.sourceUrl]));`;
    const printed = execFileSync(process.execPath, ['--input-type=module', '--eval', script], { encoding: 'utf8' });
    // assess
    expect(JSON.parse(printed)).toEqual(['hello bundle', pathToFileURL(spec.entry).href]);
  });

  it('is built once, reused while its sources are unchanged, and keeps import.meta.url naming the source file', async () => {
    // prepare
    const spec = await fixtureWorkspace();
    // act
    const built = await buildBundle(spec);
    const reused = currentBundle(spec);
    const main = await importFrom(built, 'main.mjs');
    const worker = await importFrom(built, 'echo-worker.mjs');
    // assess
    expect(reused).toBe(built);
    expect((main.main as () => string)()).toBe('hello bundle');
    expect(main.sourceUrl).toBe(pathToFileURL(spec.entry).href);
    expect(worker.echo).toBe('hello worker');
  });

  it('is stale once a source it contains changes, and the rebuild carries the change', async () => {
    // prepare
    const spec = await fixtureWorkspace();
    const first = await buildBundle(spec);
    await writeFile(join(spec.root, 'app', 'src', 'greeting.ts'), "export const greeting = (name: string): string => 'hi there, ' + name;\n");
    // act
    const stale = currentBundle(spec);
    const second = await buildBundle(spec);
    const main = await importFrom(second, 'main.mjs');
    // assess
    expect(stale).toBeUndefined();
    expect(second).not.toBe(first);
    expect((main.main as () => string)()).toBe('hi there, bundle');
    expect(currentBundle(spec)).toBe(second);
  });

  it('is stale once the compiler settings of its sources change', async () => {
    // prepare
    const spec = await fixtureWorkspace();
    await writeFile(join(spec.root, 'tsconfig.base.json'), '{ "compilerOptions": { "target": "ES2022" } }\n');
    await buildBundle(spec);
    // act
    await writeFile(join(spec.root, 'tsconfig.base.json'), '{ "compilerOptions": { "target": "ES2023", "useDefineForClassFields": false } }\n');
    const stale = currentBundle(spec);
    // assess
    expect(stale).toBeUndefined();
  });

  it('holds a package it bundles, whose CommonJS may require one left external, and is stale once that package is reinstalled', async () => {
    // prepare: a CommonJS package under a name the CLI bundles, requiring a module Node provides
    const spec = await fixtureWorkspace();
    const packageDir = join(spec.root, 'node_modules', 'zod');
    await mkdir(packageDir, { recursive: true });
    await writeFile(join(packageDir, 'package.json'), '{ "name": "zod", "version": "1.0.0", "main": "index.js" }\n');
    await writeFile(join(packageDir, 'index.js'), "const { sep } = require('node:path');\nmodule.exports = { joined: ['a', 'b'].join(sep) };\n");
    await writeFile(join(spec.root, 'app', 'src', 'main.ts'), "import { joined } from 'zod';\nexport const main = (): string => joined;\n");
    // act
    const built = await buildBundle(spec);
    const script = `const m = await import(${JSON.stringify(pathToFileURL(join(built, 'main.mjs')).href)}); console.log(m.main());`;
    const printed = execFileSync(process.execPath, ['--input-type=module', '--eval', script], { encoding: 'utf8' }).trim();
    const bundled = (await readFile(join(built, 'main.mjs'), 'utf8')).includes('module.exports = { joined');
    await writeFile(join(packageDir, 'package.json'), '{ "name": "zod", "version": "1.0.1", "main": "index.js" }\n');
    const stale = currentBundle(spec);
    // assess
    expect(printed).toBe(['a', 'b'].join(sep));
    expect(bundled).toBe(true);
    expect(stale).toBeUndefined();
  });

  it('is stale when its launcher did not stamp itself, so a bundle built with earlier options is not reused', async () => {
    // prepare: the record an earlier launcher wrote, with the stamps of the sources alone
    const spec = await fixtureWorkspace();
    const built = await buildBundle(spec);
    const record = JSON.parse(await readFile(join(spec.cacheDir, 'current.json'), 'utf8')) as { stamps: [string, number, number][] };
    const sourcesOnly = record.stamps.filter(([file]) => !file.endsWith('cli-bundle.mjs'));
    await writeFile(join(spec.cacheDir, 'current.json'), JSON.stringify({ ...record, stamps: sourcesOnly }));
    // act
    const stale = currentBundle(spec);
    // assess
    expect(record.stamps.length).toBe(sourcesOnly.length + 1);
    expect(existsSync(join(built, 'main.mjs'))).toBe(true);
    expect(stale).toBeUndefined();
  });

  it('is stale once a worker entry is added, which no build has read yet', async () => {
    // prepare
    const spec = await fixtureWorkspace();
    await buildBundle(spec);
    const added = join(spec.root, 'app', 'src', 'runtime', 'other-worker.ts');
    await writeFile(added, "export const other = 'other';\n");
    // act
    const stale = currentBundle({ ...spec, workers: [...spec.workers, added] });
    const rebuilt = await buildBundle({ ...spec, workers: [...spec.workers, added] });
    // assess
    expect(stale).toBeUndefined();
    expect(existsSync(join(rebuilt, 'other-worker.mjs'))).toBe(true);
  });

  it('is stale when the workspace moved, since the bundle names its sources by path', async () => {
    // prepare
    const spec = await fixtureWorkspace();
    await buildBundle(spec);
    // act
    const moved = currentBundle({ ...spec, root: `${spec.root}-elsewhere` });
    // assess
    expect(moved).toBeUndefined();
  });

  it('fails to build from a source that does not compile, leaving no staging folder and the previous bundle intact', async () => {
    // prepare
    const spec = await fixtureWorkspace();
    const previous = await buildBundle(spec);
    await writeFile(join(spec.root, 'app', 'src', 'greeting.ts'), 'export const greeting = (name: string =>\n');
    // act
    const failed = await buildBundle(spec).then(
      () => undefined,
      (error: Error) => error,
    );
    // assess
    expect(failed?.message).toMatch(/Build failed/);
    expect(await readdir(spec.cacheDir)).toEqual(['current.json', basename(previous)].sort());
    expect(existsSync(join(previous, 'main.mjs'))).toBe(true);
  });

  it('is built by several processes at once into one folder, each publishing a whole bundle', async () => {
    // prepare
    const spec = await fixtureWorkspace();
    // act
    const dirs = await Promise.all([buildBundle(spec), buildBundle(spec), buildBundle(spec)]);
    // assess
    expect(new Set(dirs).size).toBe(1);
    expect((await readdir(spec.cacheDir)).filter((name) => name.startsWith('.'))).toEqual([]);
    expect(currentBundle(spec)).toBe(dirs[0]);
  });

  it('prunes bundles no live process runs from, and staging folders of builds that died', async () => {
    // prepare: an old bundle this process still runs from, an old one nobody runs, a dead build's staging
    const spec = await fixtureWorkspace();
    const current = await buildBundle(spec);
    const inUse = join(spec.cacheDir, 'aaaaaaaaaaaaaaaa');
    const unused = join(spec.cacheDir, 'bbbbbbbbbbbbbbbb');
    const deadStaging = join(spec.cacheDir, '.staging-999999999-0000');
    await mkdir(join(inUse, 'running'), { recursive: true });
    await writeFile(join(inUse, 'running', String(process.pid)), '');
    await mkdir(join(unused, 'running'), { recursive: true });
    await writeFile(join(unused, 'running', '999999999'), '');
    await mkdir(deadStaging);
    // act
    const removed = pruneBundles(spec.cacheDir, current);
    // assess
    expect(removed).toEqual([basename(unused)]);
    expect((await readdir(spec.cacheDir)).sort()).toEqual(['current.json', basename(current), basename(inUse)].sort());
  });

  it("covers the CLI's entry and every worker thread entry of its sources", async () => {
    // prepare
    const root = await mkdtemp(join(tmpdir(), 'cli-bundle-real-'));
    folders.push(root);
    const spec = { ...cliBundleSpec(APP_DIR), cacheDir: join(root, 'cache') };
    // act
    const dir = await buildBundle(spec);
    const current = JSON.parse(await readFile(join(spec.cacheDir, 'current.json'), 'utf8')) as { stamps: [string, number, number][] };
    // assess: a worker missing from the bundle would fail only when a command starts it
    expect(spec.workers.map((file) => basename(file))).toEqual(expect.arrayContaining(['extract-worker.ts', 'ground-truth-worker.ts']));
    for (const worker of spec.workers) expect(existsSync(join(dir, `${basename(worker, '.ts')}.mjs`))).toBe(true);
    expect(current.stamps.map(([file]) => file)).toEqual(
      expect.arrayContaining(['apps/cli/src/main.ts', 'libs/pipeline/src/index.ts', 'apps/cli/tsconfig.json', 'libs/pipeline/tsconfig.json', 'tsconfig.base.json']),
    );
    expect(current.stamps.map(([file]) => file)).toEqual(
      expect.arrayContaining(['apps/cli/bin/cli-bundle.mjs', 'node_modules/@duckdb/node-api/package.json', 'node_modules/zod/package.json']),
    );
    // One stamp per bundled package, not one per file: each is checked at every start
    expect(current.stamps.filter(([file]) => file.includes('node_modules') && !file.endsWith('/package.json'))).toEqual([]);
  });
});
