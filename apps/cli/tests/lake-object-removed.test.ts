import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { type QuarantineRow, quarantineRowSchema } from '@twitch-pipeline/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeSession } from '../src/lake/lake-session';
import { temporaryDataDir } from './support/cli-process';

const KEPT = 'quarantine/streams/dt=2026-11-29/20261129T150000Z-silver.parquet';
const REMOVED = 'quarantine/streams/dt=2026-11-29/20261129T153000Z-silver.parquet';

let dataDir: string;

function rejected(snapshotId: string, count: number): QuarantineRow[] {
  return Array.from({ length: count }, (_, index) => ({
    snapshot_id: snapshotId,
    layer: 'silver',
    reason: 'espectadores: negative',
    record: `{"id":"${index}"}`,
    collected_at: '2026-11-29T15:00:00.000Z',
  }));
}

beforeAll(async () => {
  // Prepare: two quarantine objects of one date, two and three rejected records.
  dataDir = await temporaryDataDir();
  const lake = join(dataDir, 'lake');
  await mkdir(join(lake, 'quarantine/streams/dt=2026-11-29'), { recursive: true });
  await withEngine({}, async (engine) => {
    await engine.writeRowsToParquet(rejected('20261129T150000Z', 2), quarantineRowSchema, join(lake, KEPT));
    await engine.writeRowsToParquet(rejected('20261129T153000Z', 3), quarantineRowSchema, join(lake, REMOVED));
  });
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('a lake session whose object another process removes', () => {
  it('lists the lake again and answers without it, as a rerun that rejects nothing removes an earlier quarantine object', async () => {
    // Prepare
    const session = await LakeSession.open(dataDir);
    const before = await session.query('SELECT count(*) AS n FROM quarantine_streams');

    // Act
    await rm(join(dataDir, 'lake', REMOVED));
    const after = await session.query('SELECT count(*) AS n FROM quarantine_streams').finally(() => session.close());

    // Assess
    expect(before.rows).toEqual([[5]]);
    expect(after.rows).toEqual([[2]]);
  });

});
