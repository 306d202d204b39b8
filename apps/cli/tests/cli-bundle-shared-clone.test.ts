import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const LAUNCHER = new URL('../bin/cli-bundle.mjs', import.meta.url).href;
const folders: string[] = [];

/** A clone of mode `mode` (its node_modules too) holding a tiny CLI: an entry the launcher can load, and no build yet. */
async function fixtureClone(mode: number): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'cli-bundle-shared-'));
  folders.push(root);
  const src = join(root, 'apps', 'cli', 'src');
  await mkdir(src, { recursive: true });
  await mkdir(join(root, 'node_modules'));
  await writeFile(join(src, 'main.ts'), 'export const useBundledWorkers = (_url: URL): void => {};\nexport const main = (): string => "ran";\n');
  for (const folder of [root, join(root, 'node_modules')]) await chmod(folder, mode);
  return root;
}

/** Runs the launcher's loadCli on the clone as a command would, in a process of its own with `umask`. */
function launch(root: string, umask: number): void {
  const script = `process.umask(${umask}); const { loadCli } = await import(${JSON.stringify(LAUNCHER)}); await loadCli(${JSON.stringify(join(root, 'apps', 'cli'))});`;
  execFileSync(process.execPath, ['--input-type=module', '--eval', script], { stdio: 'pipe' });
}

/** The permission bits (setgid included) of every folder the launcher made, by its path below the clone. */
async function madeFolders(root: string): Promise<Record<string, string>> {
  const cache = join(root, 'node_modules', '.cache', 'twitch-pipeline-cli');
  const bundles = (await readdir(cache, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  expect(bundles).toHaveLength(1);
  const paths = {
    '.cache': join(root, 'node_modules', '.cache'),
    'twitch-pipeline-cli': cache,
    bundle: join(cache, bundles[0]!),
    running: join(cache, bundles[0]!, 'running'),
  };
  const modes: Record<string, string> = {};
  for (const [name, path] of Object.entries(paths)) modes[name] = ((await stat(path)).mode & 0o7777).toString(8);
  return modes;
}

afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

describe("the CLI bundle's cache in a clone", () => {
  it.each([
    { clone: 0o2775, umask: 0o022, made: '2775', case: 'a team shares (setgid, group-writable), with Debian’s umask, is the group’s to write' },
    { clone: 0o755, umask: 0o022, made: '755', case: 'of one user follows the umask' },
    { clone: 0o755, umask: 0o002, made: '775', case: 'of one user with umask 002 follows the umask' },
    { clone: 0o2770, umask: 0o077, made: '2770', case: 'a team shares privately (2770), with umask 077, is the group’s to write' },
  ])('$case', async ({ clone, umask, made }) => {
    // prepare
    const root = await fixtureClone(clone);

    // act
    launch(root, umask);
    const modes = await madeFolders(root);

    // assess
    expect(modes).toEqual({ '.cache': made, 'twitch-pipeline-cli': made, bundle: made, running: made });
  });
});
