import { spawn } from 'node:child_process';
import { existsSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimProcessScratch, type ProcessScratch } from '../src/runtime/process-scratch';

const USER_FOLDER = `twitch-pipeline-${process.getuid?.() ?? 'user'}`;
/** This process's pid namespace, read here as the folder names carry it. */
const NAMESPACE = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))![1]!;

/** The pid of a process that has ended. */
async function endedPid(): Promise<number> {
  const gone = spawn(process.execPath, ['-e', '']);
  await new Promise((exited) => gone.on('exit', exited));
  return gone.pid!;
}

describe('claimProcessScratch', () => {
  const made: string[] = [];
  const claimed: ProcessScratch[] = [];
  const base = async () => {
    const folder = await mkdtemp(join(tmpdir(), 'process-scratch-'));
    made.push(folder);
    return folder;
  };
  const claim = (env: NodeJS.ProcessEnv, folder: string) => {
    const scratch = claimProcessScratch(env, folder);
    if (scratch) claimed.push(scratch);
    return scratch;
  };
  afterEach(async () => {
    for (const scratch of claimed.splice(0)) scratch.release();
    for (const folder of made.splice(0)) await rm(folder, { recursive: true, force: true });
  });

  it('points the temporary folder at a folder of its own, named by its pid and host', async () => {
    // prepare
    const folder = await base();
    const env: NodeJS.ProcessEnv = {};

    // act
    const scratch = claim(env, folder);

    // assess
    expect(scratch?.folder).toMatch(new RegExp(`/${USER_FOLDER}/${process.pid}@${hostname()}@${NAMESPACE}-[A-Za-z0-9]{6}$`));
    expect(env.TMPDIR).toBe(scratch?.folder);
    expect(existsSync(scratch!.folder)).toBe(true);
  });

  it('removes the folders of processes that ended, and only those', async () => {
    // prepare: an ended process's folder with a spill file in it; a running one's (this process);
    // one of an ended pid on another host, and one in another pid namespace (a container sharing
    // this host's name and /tmp, whose pids mean nothing here); a folder it did not name
    const folder = await base();
    const root = join(folder, USER_FOLDER);
    const ended = join(root, `${await endedPid()}@${hostname()}@${NAMESPACE}-Ab12Cd`);
    const running = join(root, `${process.pid}@${hostname()}@${NAMESPACE}-Ef34Gh`);
    const otherHost = join(root, `${await endedPid()}@another-host.example@${NAMESPACE}-Ij56Kl`);
    const otherNamespace = join(root, `${await endedPid()}@${hostname()}@4026599999-Mn78Op`);
    const unnamed = join(root, 'notes');
    for (const kept of [ended, running, otherHost, otherNamespace, unnamed]) await mkdir(kept, { recursive: true });
    await writeFile(join(ended, 'duckdb_temp_storage_S32K-0.tmp'), 'spilled');

    // act
    const scratch = claim({}, folder);

    // assess
    expect(scratch?.swept).toBe(1);
    expect(existsSync(ended)).toBe(false);
    expect((await readdir(root)).sort()).toEqual(
      [running, otherHost, otherNamespace, unnamed, scratch!.folder].map((path) => path.slice(root.length + 1)).sort(),
    );
  });

  it('leaves the temporary folder as it was when the user folder is a link someone else put there', async () => {
    // prepare
    const folder = await base();
    const elsewhere = await base();
    await symlink(elsewhere, join(folder, USER_FOLDER));
    const env: NodeJS.ProcessEnv = { TMPDIR: folder };

    // act
    const scratch = claim(env, folder);

    // assess
    expect(scratch).toBeUndefined();
    expect(env.TMPDIR).toBe(folder);
    expect(await readdir(elsewhere)).toEqual([]);
  });

  it('is removed on release, with what the command left in it', async () => {
    // prepare
    const scratch = claim({}, await base());
    await mkdir(join(scratch!.folder, 'duckdb-spill-Xy78Zw'));

    // act
    scratch!.release();

    // assess
    expect(existsSync(scratch!.folder)).toBe(false);
  });
});
