import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from '../src/cli/errors';
import { removeAbandonedTemporaries, temporaryBeside, writePage } from '../src/cli/temporary-beside';
import { pidNamespace, processPlace } from '../src/runtime/process-alive';
import { cliEnv, runCli, spawnCli, temporaryDataDir } from './support/cli-process';

const UUID = '0f1e2d3c-4b5a-4697-8877-665544332211';
const execFileAsync = promisify(execFile);

async function finishedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'temporary-beside-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('temporaries beside a written file', () => {
  it('are named for the target, this host and pid namespace, and this process', () => {
    // act
    const temporary = temporaryBeside(join(folder, 'top.parquet'), '.partial');
    // assess
    expect(temporary.startsWith(join(folder, `.top.parquet.${hostname()}@${pidNamespace()}.${process.pid}.`))).toBe(true);
    expect(temporary.endsWith('.partial')).toBe(true);
  });

  it('are removed once their process is gone, and only theirs', async () => {
    // prepare
    const dead = await finishedPid();
    const here = processPlace();
    const names = {
      abandoned: `.top.parquet.${here}.${dead}.${UUID}.partial`,
      running: `.top.parquet.${here}.${process.pid}.${UUID}.partial`,
      otherHost: `.top.parquet.elsewhere-${here}.${dead}.${UUID}.partial`,
      // A container sharing this host's name and the folder: its pids mean nothing here.
      otherNamespace: `.top.parquet.${hostname()}@4026599999.${dead}.${UUID}.partial`,
      otherTarget: `.top.parquet2.${here}.${dead}.${UUID}.partial`,
      otherSuffix: `.top.parquet.${here}.${dead}.${UUID}.tmp`,
    };
    for (const name of Object.values(names)) await writeFile(join(folder, name), 'x');
    // act
    const removed = await removeAbandonedTemporaries(join(folder, 'top.parquet'), '.partial');
    // assess
    expect(removed).toEqual([names.abandoned]);
    expect((await readdir(folder)).sort()).toEqual(Object.values(names).filter((name) => name !== names.abandoned).sort());
  });

  it('of an export killed outright are removed by the next export of the same file', async () => {
    // prepare: an export whose query runs long enough to be killed while DuckDB writes the temporary
    const env = cliEnv(await temporaryDataDir());
    const target = join(folder, 'answer.csv');
    const { child, finished } = spawnCli(['query', 'SELECT sum(range) AS s FROM range(100000000000)', '--out', target], env);
    const partial = async () => (await readdir(folder)).filter((name) => name.endsWith('.partial'));
    for (let waited = 0; (await partial()).length === 0 && waited < 30_000; waited += 100) await delay(100);
    child.kill('SIGKILL');
    await finished;
    const left = await partial();
    // act
    const result = await runCli(['query', 'SELECT 42 AS answer', '--out', target], env);
    // assess
    expect(left).toHaveLength(1);
    expect(result.code).toBe(0);
    expect(await readdir(folder)).toEqual(['answer.csv']);
    expect(await readFile(target, 'utf8')).toBe('answer\n42\n');
  });
});

describe('writePage', () => {
  it('refuses a target that is a folder, naming the page, and leaves the folder as it was', async () => {
    // prepare
    const target = join(folder, 'reports');
    await mkdir(target);
    await writeFile(join(target, 'kept.txt'), 'kept');

    // act
    const written = writePage(target, '<html></html>', { page: 'the profile page', hint: 'write it elsewhere' });

    // assess: not the rename's bare EISDIR
    await expect(written).rejects.toThrow(new CliError(`cannot write the profile page to ${target}: it is a folder`, { hint: 'write it elsewhere' }));
    expect(await readdir(target)).toEqual(['kept.txt']);
  });

  it('writes into a folder it makes, whole', async () => {
    // act
    await writePage(join(folder, 'new', 'page.html'), '<html></html>', { page: 'the dashboard', hint: '' });

    // assess
    expect(await readFile(join(folder, 'new', 'page.html'), 'utf8')).toBe('<html></html>');
    expect(await readdir(join(folder, 'new'))).toEqual(['page.html']);
  });

  it('replaces the file a link points to, keeping the link, and never a pipe', async () => {
    // prepare: a page published through a link, and a pipe standing for a device or socket
    await mkdir(join(folder, 'published'));
    const real = join(folder, 'published', 'dashboard.html');
    await writeFile(real, 'earlier');
    const link = join(folder, 'dashboard.html');
    await symlink(real, link);
    const pipe = join(folder, 'pipe.html');
    await execFileAsync('mkfifo', [pipe]);

    // act
    await writePage(link, '<html></html>', { page: 'the dashboard', hint: '' });
    const piped = await writePage(pipe, '<html></html>', { page: 'the dashboard', hint: 'write it elsewhere' }).catch((error: unknown) => error);

    // assess
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toBe('<html></html>');
    expect(piped).toEqual(new CliError(`cannot write the dashboard to ${pipe}: it is not a regular file`, { hint: 'write it elsewhere' }));
    expect((await lstat(pipe)).isFIFO()).toBe(true);
  });
});
