/**
 * Bundles the Lambda functions of one app into `dist/apps/<app>/<function>/`, one folder per
 * function, ready for Pulumi's `FileArchive`. Run from the app's folder (its Nx `build`):
 *
 *   tsx ../../tools/scripts/bundle-lambda.ts
 *
 * The app's package.json says what to build:
 *
 *   "lambda": { "functions": { "<function>": "src/<entry>.ts" }, "duckdb": true, "assets": ["../../libs/features/models"] }
 *
 * Each function becomes `index.mjs` (ES module for Node 24, minified, with a source map) exporting
 * the entry's `handler`. The AWS SDK is bundled, not taken from the runtime, so a function runs
 * the SDK version its tests ran (the runtime's copy changes without notice). DuckDB's native
 * binding cannot be bundled: for `duckdb` apps the linux-x64 (glibc) binding package is copied
 * beside the bundle, where the bundled loader's `require('@duckdb/node-bindings-linux-x64/duckdb.node')`
 * finds it; a host that has no such binding installed (macOS, ARM, musl) fetches it once with
 * `npm pack` (see duckdb-binding.ts). `assets` folders are copied beside the bundle under their own names.
 */
import { constants, existsSync } from 'node:fs';
import { copyFile, cp, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { DUCKDB_BINDING_FILES, LAMBDA_DUCKDB_BINDING, lambdaDuckdbBinding } from './duckdb-binding';

/** The `lambda` field of an app's package.json. */
export interface LambdaManifest {
  /** Function name → entry file (relative to the app folder) exporting `handler`. */
  functions: Record<string, string>;
  /** Ship DuckDB's linux-x64 native binding beside each bundle. */
  duckdb?: boolean;
  /** Folders (relative to the app folder) copied beside each bundle under their own names. */
  assets?: string[];
}

/** What one function's build produced. */
export interface FunctionBundle {
  app: string;
  function: string;
  directory: string;
  bundleBytes: number;
  bundleDeflatedBytes: number;
  totalBytes: number;
}

/** Lambda's limit on the unzipped size of a function's code. */
const LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024;
const WORKSPACE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

// ES-module output has no `require`, `__filename` or `__dirname`; bundled CommonJS code
// (the DuckDB loader, parts of the AWS SDK) needs them.
const ESM_BANNER = [
  "import { createRequire as __bundleCreateRequire } from 'node:module';",
  "import { fileURLToPath as __bundleFileURLToPath } from 'node:url';",
  "import { dirname as __bundleDirname } from 'node:path';",
  'const require = __bundleCreateRequire(import.meta.url);',
  'const __filename = __bundleFileURLToPath(import.meta.url);',
  'const __dirname = __bundleDirname(__filename);',
].join('\n');

/**
 * Marks the workspace's own libraries side-effect free, so a function bundles only the modules
 * it uses: the consumer imports one helper from `@twitch-pipeline/pipeline` and must not pull
 * in (and load at start) the DuckDB binding that other steps of that library need.
 */
const workspaceLibsAreSideEffectFree: Plugin = {
  name: 'workspace-libs-side-effect-free',
  setup(pluginBuild) {
    const libs = join(WORKSPACE_ROOT, 'libs');
    pluginBuild.onResolve({ filter: /^@twitch-pipeline\// }, async (args) => {
      if (args.pluginData === 'resolving') return undefined;
      const resolved = await pluginBuild.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'resolving',
      });
      if (resolved.errors.length > 0 || !resolved.path.startsWith(libs)) return undefined;
      return { path: resolved.path, sideEffects: false };
    });
  },
};

async function directoryBytes(directory: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    total += entry.isDirectory() ? await directoryBytes(path) : (await stat(path)).size;
  }
  return total;
}

async function readManifest(appDir: string): Promise<LambdaManifest> {
  const pkg = JSON.parse(await readFile(join(appDir, 'package.json'), 'utf8')) as { name?: string; lambda?: LambdaManifest };
  const manifest = pkg.lambda;
  if (!manifest || typeof manifest.functions !== 'object' || Object.keys(manifest.functions).length === 0) {
    throw new Error(`${pkg.name ?? appDir}: package.json needs "lambda": { "functions": { "<name>": "src/<entry>.ts" } }`);
  }
  return manifest;
}

async function copyDuckdbBinding(appDir: string, functionDir: string): Promise<void> {
  const bindingDir = await lambdaDuckdbBinding(appDir, join(WORKSPACE_ROOT, 'node_modules', '.cache', 'lambda-duckdb'));
  const target = join(functionDir, 'node_modules', LAMBDA_DUCKDB_BINDING);
  await mkdir(target, { recursive: true });
  for (const file of DUCKDB_BINDING_FILES) {
    await copyFile(join(bindingDir, file), join(target, file), constants.COPYFILE_FICLONE);
  }
}

async function bundleFunction(appDir: string, app: string, name: string, entry: string, manifest: LambdaManifest) {
  const directory = join(WORKSPACE_ROOT, 'dist', 'apps', app, name);
  await rm(directory, { recursive: true, force: true });
  await mkdir(directory, { recursive: true });
  await build({
    // Relative to absWorkingDir: esbuild reads an entry point holding "*" or "?" as a file pattern,
    // and a clone's own folder may be named with them.
    absWorkingDir: appDir,
    entryPoints: { index: `./${relative(appDir, resolve(appDir, entry))}` },
    outdir: directory,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    legalComments: 'none',
    external: ['@duckdb/node-bindings-*'],
    banner: { js: ESM_BANNER },
    plugins: [workspaceLibsAreSideEffectFree],
    logLevel: 'warning',
  });
  if (manifest.duckdb) await copyDuckdbBinding(appDir, directory);
  for (const asset of manifest.assets ?? []) {
    const source = resolve(appDir, asset);
    if (!existsSync(source)) throw new Error(`${app}/${name}: asset folder ${asset} does not exist`);
    await cp(source, join(directory, basename(source)), { recursive: true });
  }
  const bundle = await readFile(join(directory, 'index.mjs'));
  const result: FunctionBundle = {
    app,
    function: name,
    directory,
    bundleBytes: bundle.length,
    bundleDeflatedBytes: deflateRawSync(bundle).length,
    totalBytes: await directoryBytes(directory),
  };
  if (result.totalBytes > LAMBDA_UNZIPPED_LIMIT) {
    throw new Error(`${app}/${name}: ${megabytes(result.totalBytes)} unzipped exceeds Lambda's 250 MB limit`);
  }
  return result;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

/**
 * Bundles every function listed in an app's package.json `lambda` field.
 *
 * @example
 * const bundles = await bundleLambdaApp('apps/extract');
 * bundles[0].directory; // '<workspace>/dist/apps/extract/extract'
 */
export async function bundleLambdaApp(appDir: string): Promise<FunctionBundle[]> {
  const root = resolve(appDir);
  const manifest = await readManifest(root);
  const app = basename(root);
  const bundles: FunctionBundle[] = [];
  for (const [name, entry] of Object.entries(manifest.functions)) {
    bundles.push(await bundleFunction(root, app, name, entry, manifest));
  }
  return bundles;
}

/**
 * One line per function: bundle size (and deflated, about its share of the zip) and the
 * folder's total, native binding and assets included.
 *
 * @example
 * console.log(formatBundleSizes(await bundleLambdaApp('.')));
 */
export function formatBundleSizes(bundles: FunctionBundle[]): string {
  return bundles
    .map(
      (bundle) =>
        `${bundle.app}/${bundle.function}: index.mjs ${megabytes(bundle.bundleBytes)} ` +
        `(${megabytes(bundle.bundleDeflatedBytes)} deflated), folder ${megabytes(bundle.totalBytes)} ` +
        `→ ${relative(WORKSPACE_ROOT, bundle.directory)}`,
    )
    .join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  bundleLambdaApp(process.cwd())
    .then((bundles) => console.log(formatBundleSizes(bundles)))
    .catch((error: unknown) => {
      console.error((error as Error).message);
      process.exitCode = 1;
    });
}
