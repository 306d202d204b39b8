import { existsSync } from 'node:fs';
import { readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../src/runtime/data-lock';
import { cliEnv, spawnCli, stderrMatching, useTemporaryDataDirs } from './support/cli-process';

const dataDirectory = useTemporaryDataDirs();

describe('run --every when its data directory is moved away', () => {
  it('stops once the cycle under way ends, rather than sleeping and collecting into a folder without a lock at the old path', async () => {
    // prepare: a collector on a folder, moved (as `mv` does) once its first cycle has begun
    const parent = await dataDirectory();
    const dataDir = join(parent, 'data');
    const moved = join(parent, 'data-moved');
    const collector = spawnCli(['run', '--every', '30m', '--channels', '2000'], cliEnv(dataDir));
    await stderrMatching(collector.child, /collecting from /);

    // act
    await rename(dataDir, moved);
    // Without the check it would sleep until the next slot: end it then, so that the test fails rather than waits.
    const sleeper = setTimeout(() => collector.child.kill('SIGKILL'), 30_000);
    const stopped = await collector.finished;
    clearTimeout(sleeper);

    // assess: it says why it stops, instead of sleeping until the next slot; the moved folder
    // keeps its lock (stale now, taken over by the next command) and no lock appears at the old
    // path (where the cycle under way went on writing after the move)
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/no longer holds this collector's lock .*moved or deleted.*the collector stops/s);
    expect(stopped.stderr).not.toMatch(/next cycle at /);
    expect(await readdir(moved)).toContain(LOCK_FILE);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  });
});
