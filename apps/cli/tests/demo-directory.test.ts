import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { bronzeKey } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';
import { newRunRecord } from '../src/runtime/cycle';
import { lockDataDirectory } from '../src/runtime/data-lock';
import { clearPreviousDemo, markDemoInProgress } from '../src/runtime/demo-directory';
import { writeRunRecord } from '../src/runtime/runs-log';
import { useTemporaryDataDirs } from './support/cli-process';

const temporaryDirectory = useTemporaryDataDirs();
const quiet = { values: {}, io: { out: () => {}, err: () => {} } } as unknown as Parameters<typeof lockDataDirectory>[0];

async function dataDirectory(): Promise<{ dataDir: string; runsDir: string }> {
  const dataDir = await temporaryDirectory();
  return { dataDir, runsDir: join(dataDir, 'runs') };
}

/** A bronze object, as an extract writes it; returns its snapshot id. */
async function snapshot(dataDir: string, snapshotId: string): Promise<string> {
  const path = join(dataDir, 'lake', bronzeKey(`${snapshotId.slice(0, 4)}-${snapshotId.slice(4, 6)}-${snapshotId.slice(6, 8)}`, snapshotId));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, 'bronze');
  return snapshotId;
}

describe('clearPreviousDemo', () => {
  it('keeps what a later writer added after a demo stopped without its record, though the demo left its mark', async () => {
    // prepare: a demo stopped by a second Ctrl-C, then a backfill killed before its record
    const { dataDir, runsDir } = await dataDirectory();
    await markDemoInProgress(runsDir);
    await snapshot(dataDir, '20261128T120000Z');
    const lock = await lockDataDirectory(quiet, dataDir, 'backfill');
    await snapshot(dataDir, '20261129T120000Z');
    await lock.release();

    // act
    const cleared = clearPreviousDemo(dataDir, runsDir, false);

    // assess
    await expect(cleared).rejects.toThrow(`${dataDir} holds 2 snapshot(s) no run record accounts for`);
    expect(await readdir(join(dataDir, 'lake', 'raw', 'streams'))).toEqual(['dt=2026-11-28', 'dt=2026-11-29']);
  });

  it('replaces a demo that failed with its mark kept, whatever snapshots its record names', async () => {
    // prepare: the failed demo recorded one snapshot; another lane had written a second
    const { dataDir, runsDir } = await dataDirectory();
    await markDemoInProgress(runsDir);
    const record = newRunRecord('backfill', 'simulator', new Date('2026-11-29T12:00:00Z'));
    record.status = 'failed';
    record.snapshots.push(await snapshot(dataDir, '20261129T113000Z'));
    await snapshot(dataDir, '20261129T120000Z');
    await writeRunRecord(runsDir, { ...record, demo: true });

    // act
    const cleared = await clearPreviousDemo(dataDir, runsDir, false);

    // assess
    expect(cleared).toBe(true);
    expect(await readdir(dataDir)).not.toContain('lake');
  });
});
