import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, parquetFileProblem, parquetFileProblems } from '../src/index';
import { isMachineError } from '../src/parquet-file-check';

let directory: string;
let engine: DuckDbEngine;
let sound: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'parquet-file-check-'));
  engine = await DuckDbEngine.open({ threads: 1 });
  sound = join(directory, 'sound.parquet');
  await engine.copyToParquet("SELECT range AS a, 'x' || range AS b FROM range(5000)", undefined, sound);
});

afterAll(async () => {
  await engine.close();
  await rm(directory, { recursive: true, force: true });
});

describe('parquetFileProblem', () => {
  it('says why a torn file or a garbled footer is not Parquet, and nothing for a sound file', async () => {
    // prepare
    const bytes = await readFile(sound);
    const torn = join(directory, 'torn.parquet');
    await writeFile(torn, bytes.subarray(0, bytes.length - 100));
    const garbled = Buffer.from(bytes);
    const footer = garbled.readUInt32LE(garbled.length - 8);
    garbled.fill(0x41, garbled.length - 8 - footer, garbled.length - 8 - footer + 40);
    const garbledPath = join(directory, 'garbled.parquet');
    await writeFile(garbledPath, garbled);

    // act
    const problems = await Promise.all([sound, torn, garbledPath].map((path) => parquetFileProblem(path, engine)));

    // assess
    expect(problems[0]).toBeUndefined();
    expect(problems[1]).toMatch(/^truncated or torn: no PAR1 magic at the end/);
    expect(problems[2]).toMatch(/^unreadable footer: /);
  });

  it('fails, rather than calling a sound file damaged, when the engine runs out of memory or is interrupted', async () => {
    // prepare: the fault is injected by wrapping the real engine's query method
    const failing = Object.create(engine) as DuckDbEngine;
    failing.all = async () => {
      throw new Error('Out of Memory Error: failed to allocate data of size 256.0 KiB (2.0 GiB/2.0 GiB used)');
    };

    // act
    const outcome = parquetFileProblem(sound, failing);

    // assess
    await expect(outcome).rejects.toThrow(/^Out of Memory Error/);
  });

  it('fails, rather than calling the file damaged, when the process has no file descriptor left', () => {
    // prepare: a child process that holds every descriptor its limit allows, once its modules
    // have loaded (a first check, and a pause for the imports modules start on their own)
    const script = `import { parquetFileProblem } from ${JSON.stringify(new URL('../src/parquet-file-check.ts', import.meta.url).href)};
      await parquetFileProblem(${JSON.stringify(sound)}); await new Promise((resolve) => setTimeout(resolve, 300));
      const held = []; const { openSync } = await import('node:fs');
      try { for (;;) held.push(openSync(${JSON.stringify(sound)}, 'r')); } catch {}
      await parquetFileProblem(${JSON.stringify(sound)}).then((problem) => console.log('verdict', problem), (error) => console.log('threw', error.code));`;

    // act: a module loaded late (on a busy machine, after the pause) may meet the exhausted limit
    // itself and end the child before the check; the child then runs again, at most thrice. The
    // limit leaves the loader room for its concurrent reads of the module graph (at 64, a loaded
    // machine's loader met it while still reading zod's locales).
    const run = () => spawnSync('bash', ['-c', `ulimit -n 256 && exec "${process.execPath}" --import tsx --input-type=module -e "$0"`, script], { encoding: 'utf8' });
    let child = run();
    for (let attempt = 2; attempt <= 3 && child.stdout.trim() === ''; attempt += 1) child = run();

    // assess
    expect(child.stdout.trim(), child.stderr).toBe('threw EMFILE');
  });

  it('tells the machine’s errors from the file’s', () => {
    // act
    const verdicts = [
      Object.assign(new Error('open'), { code: 'EMFILE' }),
      Object.assign(new Error('open'), { code: 'EACCES' }),
      new Error('INTERRUPT Error: Interrupted!'),
      new Error('Invalid Error: TProtocolException: Invalid data'),
    ].map(isMachineError);

    // assess
    expect(verdicts).toEqual([true, false, true, false]);
  });
});

describe('parquetFileProblems', () => {
  it('names each bad file among many with the reason a check of that file alone gives', async () => {
    // prepare: sound files, a torn one, a garbled footer, an empty file and one that is gone, under a folder named like a glob
    const folder = join(directory, 'many [1]');
    await mkdir(folder, { recursive: true });
    const bytes = await readFile(sound);
    const garbled = Buffer.from(bytes);
    const footer = garbled.readUInt32LE(garbled.length - 8);
    garbled.fill(0x41, garbled.length - 8 - footer, garbled.length - 8 - footer + 40);
    const files = {
      first: bytes,
      torn: bytes.subarray(0, bytes.length - 100),
      second: bytes,
      garbled,
      empty: Buffer.alloc(0),
    };
    for (const [name, content] of Object.entries(files)) await writeFile(join(folder, `${name}.parquet`), content);
    const paths = [...Object.keys(files), 'gone'].map((name) => join(folder, `${name}.parquet`));

    // act
    const problems = await parquetFileProblems(paths, engine);

    // assess
    const alone = await Promise.all(paths.map((path) => parquetFileProblem(path, engine)));
    const expected = new Map(paths.flatMap((path, index) => (alone[index] ? [[path, alone[index]] as const] : [])));
    expect([...problems.keys()].sort()).toEqual(['torn', 'garbled', 'empty', 'gone'].map((name) => join(folder, `${name}.parquet`)).sort());
    expect(problems).toEqual(expected);
    expect(problems.get(join(folder, 'garbled.parquet'))).toMatch(/^unreadable footer: /);
  });

  it('parses the footers of sound files in one statement', async () => {
    // prepare: the real engine, its statements counted
    const paths = ['a', 'b', 'c'].map((name) => join(directory, `counted-${name}.parquet`));
    for (const path of paths) await writeFile(path, await readFile(sound));
    const counting = Object.create(engine) as DuckDbEngine;
    let statements = 0;
    counting.all = (...args: Parameters<DuckDbEngine['all']>) => {
      statements += 1;
      return engine.all(...args);
    };

    // act
    const problems = await parquetFileProblems(paths, counting);

    // assess
    expect(problems.size).toBe(0);
    expect(statements).toBe(1);
  });

  it('fails, rather than calling sound files damaged, when the engine runs out of memory', async () => {
    // prepare: the fault is injected by wrapping the real engine's query method
    const failing = Object.create(engine) as DuckDbEngine;
    failing.all = async () => {
      throw new Error('Out of Memory Error: failed to allocate data of size 256.0 KiB (2.0 GiB/2.0 GiB used)');
    };

    // act
    const outcome = parquetFileProblems([sound, sound], failing);

    // assess
    await expect(outcome).rejects.toThrow(/^Out of Memory Error/);
  });
});
