import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, spawnCli, stderrMatching, temporaryDataDir } from './support/cli-process';


describe('run --every when the disk refuses a write', () => {
  it('names the record it could not write and keeps waiting for the next slot', async () => {
    // prepare: a file where the runs folder should be makes every record write fail, as a full
    // disk does, while the lake, queue and real-time table can still be written
    const dataDir = await temporaryDataDir();
    await writeFile(join(dataDir, 'runs'), 'not a folder');
    const collector = spawnCli(['run', '--every', '30m', '--channels', '200'], cliEnv(dataDir));

    // act
    await stderrMatching(collector.child, /next cycle at /);
    collector.child.kill('SIGINT');
    const stopped = await collector.finished;

    // assess
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toMatch(/^cycle \d{8}T\d{6}Z ok in /);
    expect(stopped.stderr).toMatch(/ {2}run record not written: .*runs/);
  });

  it('names the slot of a cycle that could not write the lake, and keeps waiting for the next slot', async () => {
    // prepare: a file where today's bronze folder should be fails the cycle's first write. The
    // folder is named by the local date in the pipeline's zone (São Paulo, UTC-3): UTC's
    // yesterday, today and tomorrow cover it at any hour, and a cycle starting after midnight.
    const dataDir = await temporaryDataDir();
    const streams = join(dataDir, 'lake', 'raw', 'streams');
    await mkdir(streams, { recursive: true });
    for (const day of [-1, 0, 1]) {
      const date = new Date(Date.now() + day * 86_400_000).toISOString().slice(0, 10);
      await writeFile(join(streams, `dt=${date}`), 'not a folder');
    }
    const collector = spawnCli(['run', '--every', '30m', '--channels', '200'], cliEnv(dataDir));

    // act
    await stderrMatching(collector.child, /next cycle at /);
    collector.child.kill('SIGINT');
    const stopped = await collector.finished;

    // assess
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toMatch(/^cycle \d{8}T\d{6}Z \(not collected\) failed in /);
    expect(stopped.stderr).toMatch(/ {2}failed: .*dt=/);
  });
});
