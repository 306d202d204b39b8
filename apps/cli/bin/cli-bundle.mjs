// @ts-check
// The command runs from one bundle of its TypeScript sources, built with esbuild on first use and
// again whenever a source it contains changes. Loading its ~200 modules one by one through tsx's
// loader cost about 0.45 s of every command's start (and as much again in each worker thread);
// the bundle loads in a fraction of that. Plain JavaScript, because it runs before any loader.
// tsx stays the fallback: no esbuild installed, a cache folder that cannot be written, or a
// source that does not compile (tsx then reports the error as it always did).
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CURRENT, markRunning, pruneBundles } from './bundle-pruning.mjs';
import { makeFolder } from './shared-folder.mjs';

export { pruneBundles };

/**
 * What to bundle: `entry` and each of `workers` (worker-thread entries) become `<name>.mjs`
 * in one folder, sharing chunks; the bundle is kept under `cacheDir`.
 *
 * @typedef {{ root: string, entry: string, workers: string[], cacheDir: string }} BundleSpec
 */

/**
 * The bundle of the CLI in the app folder `appDir`: src/main.ts and every src/**\/*-worker.ts,
 * cached in the workspace's node_modules/.cache.
 *
 * @example
 * const spec = cliBundleSpec('/home/me/twitch-pipeline/apps/cli');
 * @param {string} appDir
 * @returns {BundleSpec}
 */
export function cliBundleSpec(appDir) {
  const root = resolve(appDir, '../..');
  const src = join(appDir, 'src');
  const workers = readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('-worker.ts'))
    .map((file) => join(src, file))
    .sort();
  return { root, entry: join(src, 'main.ts'), workers, cacheDir: join(root, 'node_modules', '.cache', 'twitch-pipeline-cli') };
}

/** @param {BundleSpec} spec */
function entriesOf(spec) {
  return [spec.entry, ...spec.workers];
}

/** @param {string} root @param {string[]} files @returns {[string, number, number][]} */
function stampsOf(root, files) {
  return files.map((file) => {
    const stat = statSync(join(root, file));
    return [file, stat.mtimeMs, stat.size];
  });
}

/**
 * The folder of the bundle built from the sources as they are now, or undefined when there is
 * none (never built, a source changed or moved, or the cache is unreadable).
 *
 * @example
 * const dir = currentBundle(cliBundleSpec(appDir)); // '…/node_modules/.cache/twitch-pipeline-cli/3f2a…' or undefined
 * @param {BundleSpec} spec
 * @returns {string | undefined}
 */
export function currentBundle(spec) {
  try {
    /** @type {{ root: string, entries: string[], key: string, stamps: [string, number, number][] }} */
    const current = JSON.parse(readFileSync(join(spec.cacheDir, CURRENT), 'utf8'));
    // A worker added since the build is no input of it yet; a bundle whose stamps leave out this
    // file was built by a launcher before it stamped itself, with other options.
    if (current.root !== spec.root || JSON.stringify(current.entries) !== JSON.stringify(entriesOf(spec))) return undefined;
    if (!current.stamps.some(([file]) => file === builderOf(spec.root))) return undefined;
    const now = stampsOf(spec.root, current.stamps.map(([file]) => file));
    if (JSON.stringify(now) !== JSON.stringify(current.stamps)) return undefined;
    const dir = join(spec.cacheDir, current.key);
    return existsSync(join(dir, 'main.mjs')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The tsconfig files esbuild read settings from for `sources` (each package's, and the base they
 * extend): a change of those settings changes the output as a source would.
 *
 * @param {string} root
 * @param {string[]} sources
 */
function compilerSettingsOf(root, sources) {
  const packages = new Set(sources.map((file) => file.split('/').slice(0, 2).join('/')));
  return [...[...packages].map((folder) => `${folder}/tsconfig.json`), 'tsconfig.base.json'].filter((file) => existsSync(join(root, file)));
}

/**
 * The package.json of every package the bundle holds files of: reinstalling or upgrading one
 * rewrites it, where stamping each of its files would cost hundreds of stats at every start.
 *
 * @param {string[]} inputs
 */
function manifestsOf(inputs) {
  const manifests = new Set();
  for (const file of inputs) {
    const parts = file.split('/');
    const inModules = parts.lastIndexOf('node_modules');
    if (inModules < 0) continue;
    const nameLength = parts[inModules + 1]?.startsWith('@') ? 2 : 1;
    manifests.add([...parts.slice(0, inModules + 1 + nameLength), 'package.json'].join('/'));
  }
  return [...manifests];
}

/**
 * This file, relative to `root`: how the bundle is built is an input of it too.
 *
 * @param {string} root
 */
function builderOf(root) {
  return relative(root, fileURLToPath(import.meta.url)).split(sep).join('/');
}

/**
 * The packages every command loads at start, bundled with the workspace's own libraries: loaded
 * from node_modules, DuckDB's ~190 CommonJS modules were each read, scanned for their exports
 * (Node does that for every CommonJS module an ES module imports, re-exports included) and
 * compiled, and zod's and Powertools' modules resolved one by one: 0.3 s of CPU of every
 * command's start and of every worker thread's (docs/cli.md).
 */
const BUNDLED_PACKAGES = /^(@duckdb\/node-api|zod|@aws-lambda-powertools\/[^/]+)(\/|$)/;

/**
 * esbuild options: the workspace's own libraries and `BUNDLED_PACKAGES` are bundled, every other
 * package stays an import Node resolves at run time (DuckDB's native binding, the AWS SDK,
 * loaded lazily). `import.meta.url` keeps naming the source file, so paths built from it (SQL
 * models, the dashboard's client, package.json) resolve as they do from sources.
 *
 * @param {BundleSpec} spec
 * @param {string} outdir
 * @returns {import('esbuild').BuildOptions & { metafile: true }}
 */
function buildOptions(spec, outdir) {
  /** @param {string} path */
  const ownSource = (path) => !path.split(sep).includes('node_modules') && path.startsWith(spec.root + sep);
  return {
    absWorkingDir: spec.root,
    // Relative to absWorkingDir: esbuild reads an entry point holding "*" or "?" as a file pattern,
    // and a clone's own folder may be named with them.
    entryPoints: entriesOf(spec).map((entry) => `./${relative(spec.root, entry)}`),
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    metafile: true,
    // A bundled CommonJS module's require of a package left external (DuckDB's native binding)
    // needs a require function, which an ES module has not.
    banner: { js: "import { createRequire as __bundleRequireOf } from 'node:module'; const require = __bundleRequireOf(import.meta.url);" },
    logLevel: 'silent',
    plugins: [
      {
        name: 'packages-stay-external',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@twitch-pipeline/') || args.path.startsWith('node:') || BUNDLED_PACKAGES.test(args.path) ? undefined : { path: args.path, external: true },
          );
        },
      },
      {
        name: 'source-file-urls',
        setup(build) {
          build.onLoad({ filter: /\.ts$/ }, (args) => {
            if (!ownSource(args.path)) return undefined;
            const source = readFileSync(args.path, 'utf8');
            return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
          });
        },
      },
    ],
  };
}

/**
 * Builds the bundle of `spec` and makes it the current one; returns its folder. Builds running
 * at once (parallel commands on a fresh clone) each stage their own folder and publish it with
 * a rename, so a reader only ever sees a whole bundle.
 *
 * @example
 * const dir = await buildBundle(cliBundleSpec(appDir));
 * @param {BundleSpec} spec
 * @returns {Promise<string>}
 */
export async function buildBundle(spec) {
  // Group-writable in a clone a team shares, the bundle's folder included (the staging folder
  // becomes it), so that a teammate may rebuild, prune, and mark it running.
  makeFolder(spec.cacheDir);
  // A cache this user may only read fails here rather than after a whole build.
  accessSync(spec.cacheDir, constants.W_OK);
  const { build } = await import('esbuild');
  const staging = join(spec.cacheDir, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    makeFolder(staging);
    const result = await build(buildOptions(spec, staging));
    const inputs = Object.keys(result.metafile.inputs);
    const sources = inputs.filter((file) => !file.split('/').includes('node_modules'));
    const stamps = stampsOf(spec.root, [...sources, ...compilerSettingsOf(spec.root, sources), ...manifestsOf(inputs), builderOf(spec.root)].sort());
    const key = createHash('sha256').update(JSON.stringify({ root: spec.root, stamps })).digest('hex').slice(0, 16);
    const dir = join(spec.cacheDir, key);
    try {
      renameSync(staging, dir);
    } catch (error) {
      if (!existsSync(join(dir, 'main.mjs'))) throw error;
    }
    const pending = join(spec.cacheDir, `.${CURRENT}-${process.pid}-${randomBytes(4).toString('hex')}`);
    writeFileSync(pending, JSON.stringify({ root: spec.root, entries: entriesOf(spec), key, stamps }));
    renameSync(pending, join(spec.cacheDir, CURRENT));
    return dir;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The CLI's main module: from the current bundle (built first if the sources changed), else from
 * the TypeScript sources through tsx.
 *
 * @example
 * const cli = await loadCli(fileURLToPath(new URL('..', import.meta.url)));
 * process.exitCode = await cli.main(process.argv.slice(2));
 * @param {string} appDir
 */
export async function loadCli(appDir) {
  const spec = cliBundleSpec(appDir);
  let dir = currentBundle(spec);
  if (!dir) {
    dir = await buildBundle(spec).catch(() => undefined);
    if (dir) {
      try {
        pruneBundles(spec.cacheDir, dir);
      } catch {
        // Pruning is housekeeping: another process may be pruning the same folder.
      }
    }
  }
  if (dir) {
    markRunning(dir);
    // Stack traces (printed with TWITCH_PIPELINE_DEBUG) then name the TypeScript sources.
    if (process.env.TWITCH_PIPELINE_DEBUG) process.setSourceMapsEnabled(true);
    // A build for sources edited this very moment may have pruned it before it was marked.
    const cli = await import(pathToFileURL(join(dir, 'main.mjs')).href).catch(() => undefined);
    if (cli) {
      cli.useBundledWorkers(pathToFileURL(`${dir}${sep}`));
      return cli;
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(spec.entry).href);
}

