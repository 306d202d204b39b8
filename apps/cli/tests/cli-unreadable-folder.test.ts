import { chmod, chown, copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, cliEnv, runCliAs } from './support/cli-process';

const READABLE = 'silver/streams/dt=2026-11-29/20261129T150000Z.parquet';
const HIDDEN_FOLDER = 'silver/streams/dt=2026-11-30/';
const HIDDEN = `${HIDDEN_FOLDER}20261130T120000Z.parquet`;
const BRONZE_OF_HIDDEN = 'raw/streams/dt=2026-11-30/20261130T120000Z.parquet';

// Root reads every folder whatever its permissions: as root, the commands run as `nobody`, in a
// data directory and temporary folder handed to that user, so that the folder is really
// unreadable to them. They are made in the system's temporary folder, which every user may
// enter, not in the test run's own, which only its owner may.
const root = process.getuid?.() === 0;
const NOBODY = 65534;
const SUITE = 'a lake folder this user may not read';

// `nobody` must be able to read the clone and run its node: a clone made with `umask 077` is the
// owner's alone, and every command then failed with "Cannot find module" instead of the EACCES
// the suite is about.
// The probe gets a temporary folder of nobody's own, as the suite's commands do: the test run's
// own folder is its owner's alone, and tsx could not make its cache there.
async function probeAsNobody(): Promise<CliResult> {
  const folder = await mkdtemp(join('/tmp', 'cli-unreadable-probe-'));
  await chown(folder, NOBODY, NOBODY);
  try {
    return await runCliAs(['--version'], cliEnv(folder, { TMPDIR: folder }), { uid: NOBODY, gid: NOBODY });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
const probe = root ? await probeAsNobody() : undefined;
// Only an unreadable clone skips the suite: any other failure of the command as nobody is the
// suite's to report.
const unreadableClone = probe && probe.code !== 0 ? probe.stderr.split('\n').find((line) => /Cannot find module|EACCES/.test(line)) : undefined;
const cannotRun = unreadableClone?.trim();
if (cannotRun) {
  console.log(
    `skipped "${SUITE}": as root it runs the command as the user nobody, who cannot run it from this clone (${cannotRun}); ` +
      'a clone made with umask 077 is readable by its owner only: chmod -R go+rX it, or clone with umask 022',
  );
}

let base: string;
let dataDir: string;

async function chownTree(path: string): Promise<void> {
  await chown(path, NOBODY, NOBODY);
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (entry.isDirectory()) await chownTree(join(path, entry.name));
    else await chown(join(path, entry.name), NOBODY, NOBODY);
  }
}

function runAsDataOwner(args: string[]): Promise<CliResult> {
  return runCliAs(args, cliEnv(dataDir, { TMPDIR: join(base, 'tmp') }), root ? { uid: NOBODY, gid: NOBODY } : undefined);
}

beforeAll(async () => {
  // Prepare: a readable silver object, and a date whose silver folder this user may not list,
  // beside the bronze object of its snapshot.
  base = await mkdtemp(join(root ? '/tmp' : tmpdir(), 'cli-unreadable-folder-'));
  dataDir = join(base, 'data');
  await mkdir(join(base, 'tmp'), { recursive: true });
  const lake = join(dataDir, 'lake');
  for (const key of [READABLE, HIDDEN, BRONZE_OF_HIDDEN]) await mkdir(join(lake, key, '..'), { recursive: true });
  await withEngine({}, (engine) =>
    engine.copyToParquet("SELECT 'stream-' || i AS id_stream, i AS espectadores FROM range(3) t(i)", undefined, join(lake, READABLE)),
  );
  await copyFile(join(lake, READABLE), join(lake, HIDDEN));
  await copyFile(join(lake, READABLE), join(lake, BRONZE_OF_HIDDEN));
  if (root) await chownTree(base);
  await chmod(join(lake, HIDDEN_FOLDER), 0o000);
});

afterAll(async () => {
  await chmod(join(dataDir, 'lake', HIDDEN_FOLDER), 0o755);
  await rm(base, { recursive: true, force: true });
});

describe.skipIf(cannotRun !== undefined)(SUITE, () => {
  it('is left out of a query, which answers from the rest and names the folder', async () => {
    // Act: it used to fail every reading command with `EACCES … scandir`.
    const query = await runAsDataOwner(['query', 'SELECT count(*) AS n FROM silver_streams', '--format', 'csv']);

    // Assess
    expect(query.code).toBe(0);
    expect(query.stdout).toBe('n\n3\n');
    expect(query.stderr).toContain(`  ${HIDDEN_FOLDER}: cannot list this folder: EACCES\n`);
    expect(query.stderr).toContain('a folder: nothing moves it; its objects stay out of every answer until this user may read it');
  });

  it('is named by status, which does not take its snapshots for pending', async () => {
    // Act
    const status = await runAsDataOwner(['status']);
    const json = await runAsDataOwner(['status', '--json']);

    // Assess
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('unreadable lake object(s) or folder(s) left out of the views');
    expect(status.stdout).toContain(`  ${HIDDEN_FOLDER}: cannot list this folder: EACCES`);
    expect(status.stdout).not.toContain('silver     pending');
    const freshness = JSON.parse(json.stdout).freshness;
    expect(freshness.silverPendingSnapshots).toEqual([]);
    expect(freshness.unreadableObjects).toContainEqual({ key: HIDDEN_FOLDER, reason: 'cannot list this folder: EACCES' });
  });
});
