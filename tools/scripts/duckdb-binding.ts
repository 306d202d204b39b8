import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The DuckDB binding every Lambda function runs, whatever machine builds the bundle. */
export const LAMBDA_DUCKDB_BINDING = '@duckdb/node-bindings-linux-x64';
/** duckdb.node loads libduckdb.so from its own folder, so both travel together. */
export const DUCKDB_BINDING_FILES = ['package.json', 'duckdb.node', 'libduckdb.so'];

/** Where the Lambda binding comes from: the installed package, or a tarball from the npm registry. */
export type BindingSource = { kind: 'installed'; directory: string } | { kind: 'registry'; spec: string; version: string };

/** Downloads `spec` as a tarball into `destination` and returns the tarball's path. */
export type PackFunction = (spec: string, destination: string) => Promise<string>;

/**
 * Picks the installed linux-x64 binding when it is there in the version the DuckDB API needs
 * (npm installs it only on linux-x64 glibc hosts), and the registry otherwise: on macOS, on ARM,
 * on a musl Linux, or when an install left another version behind.
 *
 * @example
 * chooseBindingSource('1.5.6-r.1', undefined); // { kind: 'registry', spec: '@duckdb/node-bindings-linux-x64@1.5.6-r.1', … }
 */
export function chooseBindingSource(requiredVersion: string, installed: { version: string; directory: string } | undefined): BindingSource {
  if (installed?.version === requiredVersion && DUCKDB_BINDING_FILES.every((file) => existsSync(join(installed.directory, file)))) {
    return { kind: 'installed', directory: installed.directory };
  }
  return { kind: 'registry', spec: `${LAMBDA_DUCKDB_BINDING}@${requiredVersion}`, version: requiredVersion };
}

async function packageVersion(packageJsonPath: string): Promise<string> {
  return (JSON.parse(await readFile(packageJsonPath, 'utf8')) as { version: string }).version;
}

async function installedBinding(fromDir: string): Promise<{ version: string; directory: string } | undefined> {
  try {
    const packageJson = createRequire(join(fromDir, 'package.json')).resolve(`${LAMBDA_DUCKDB_BINDING}/package.json`);
    return { version: await packageVersion(packageJson), directory: dirname(packageJson) };
  } catch {
    return undefined;
  }
}

/** The binding version the installed `@duckdb/node-api` loads (its `@duckdb/node-bindings`). */
async function requiredBindingVersion(fromDir: string): Promise<string> {
  const api = createRequire(join(fromDir, 'package.json')).resolve('@duckdb/node-api');
  return packageVersion(createRequire(api).resolve('@duckdb/node-bindings/package.json'));
}

const npmPack: PackFunction = async (spec, destination) => {
  const { stdout } = await run('npm', ['pack', spec, '--pack-destination', destination, '--json', '--silent'], { maxBuffer: 16 * 1024 * 1024 });
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  if (!packed) throw new Error(`npm pack ${spec} produced no tarball`);
  return join(destination, packed.filename);
};

/**
 * Fetches the binding tarball from the npm registry into `cacheDir` (once per version), checks
 * that it holds the native files, and returns the folder holding them.
 *
 * @example
 * const directory = await fetchBinding('@duckdb/node-bindings-linux-x64@1.5.6-r.1', '1.5.6-r.1', 'node_modules/.cache/lambda-duckdb');
 */
export async function fetchBinding(spec: string, version: string, cacheDir: string, pack: PackFunction = npmPack): Promise<string> {
  const target = join(cacheDir, `node-bindings-linux-x64-${version}`);
  if (DUCKDB_BINDING_FILES.every((file) => existsSync(join(target, file)))) return target;
  await mkdir(cacheDir, { recursive: true });
  const scratch = await mkdtemp(join(cacheDir, 'fetch-'));
  try {
    const tarball = await pack(spec, scratch);
    await run('tar', ['-xzf', tarball, '-C', scratch]);
    const unpacked = join(scratch, 'package');
    const missing = DUCKDB_BINDING_FILES.filter((file) => !existsSync(join(unpacked, file)));
    if (missing.length > 0) throw new Error(`${spec}: the package has no ${missing.join(', ')}`);
    await rm(target, { recursive: true, force: true });
    await rename(unpacked, target);
    return target;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The folder holding the linux-x64 (glibc) DuckDB binding that Lambda needs, in the version the
 * workspace's `@duckdb/node-api` loads: the installed one on a linux-x64 host, otherwise fetched
 * with `npm pack` from the registry and cached under `node_modules/.cache`.
 *
 * @example
 * const directory = await lambdaDuckdbBinding('apps/transform', 'node_modules/.cache/lambda-duckdb');
 */
export async function lambdaDuckdbBinding(appDir: string, cacheDir: string): Promise<string> {
  const source = chooseBindingSource(await requiredBindingVersion(appDir), await installedBinding(appDir));
  if (source.kind === 'installed') return source.directory;
  console.log(`fetching ${source.spec} from the npm registry: this host has no linux-x64 glibc binding installed`);
  return fetchBinding(source.spec, source.version, cacheDir);
}
