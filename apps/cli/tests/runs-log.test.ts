import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newRunRecord } from '../src/runtime/cycle';
import { readRunLog, writeRunRecord } from '../src/runtime/runs-log';
import { useTemporaryDataDirs } from './support/cli-process';

const dataDirectory = useTemporaryDataDirs();

describe('readRunLog', () => {
  it('counts readable records against the limit, naming the unreadable ones newer than them', async () => {
    // prepare: four cycles, then the newest record left empty by a crash
    const dataDir = await dataDirectory();
    const runsDir = join(dataDir, 'runs');
    for (const hour of ['10', '11', '12', '13']) await writeRunRecord(runsDir, newRunRecord('cycle', 'simulator', new Date(`2026-11-29T${hour}:00:00Z`)));
    await writeFile(join(runsDir, '20261129T140000Z-cycle-deadbeef.json'), '');

    // act
    const one = await readRunLog(runsDir, 1);
    const three = await readRunLog(runsDir, 3);

    // assess
    expect(one.records.map((record) => record.startedAt)).toEqual(['2026-11-29T13:00:00.000Z']);
    expect(one.unreadable).toEqual([{ file: '20261129T140000Z-cycle-deadbeef.json', reason: expect.any(String) }]);
    expect(three.records.map((record) => record.startedAt)).toEqual(['2026-11-29T13:00:00.000Z', '2026-11-29T12:00:00.000Z', '2026-11-29T11:00:00.000Z']);
  });
  it('names a folder named like a record instead of failing on it', async () => {
    // prepare: a record, and a folder a hand made under a record's name
    const dataDir = await dataDirectory();
    const runsDir = join(dataDir, 'runs');
    await writeRunRecord(runsDir, newRunRecord('cycle', 'simulator', new Date('2026-11-29T10:00:00Z')));
    await mkdir(join(runsDir, '20261129T110000Z-cycle-folder.json'));

    // act
    const log = await readRunLog(runsDir, 10);

    // assess
    expect(log.records.map((record) => record.startedAt)).toEqual(['2026-11-29T10:00:00.000Z']);
    expect(log.unreadable).toEqual([{ file: '20261129T110000Z-cycle-folder.json', reason: 'a folder, not a run record' }]);
  });
});
