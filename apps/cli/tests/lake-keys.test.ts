import { describe, expect, it } from 'vitest';
import { lakeObjectOf, strayLakeKeys } from '../src/lake/lake-keys';

const OBJECTS = [
  'raw/streams/dt=2026-11-29/20261129T213000Z.parquet',
  'silver/streams/dt=2026-11-29/20261129T213000Z.parquet',
  'quarantine/streams/dt=2026-11-29/20261129T213000Z-silver.parquet',
  'gold/streams_diario/dt=2026-11-29/part-0.parquet',
  'gold/tendencias_diario/dt=2026-11-29/part-0.parquet',
  'quarantine/streams/dt=2026-11-29/20261129T213000Z-refused-20261129T220512Z-bronze.parquet',
];

const SET_ASIDE = [
  'pending/gold/dt=2026-11-29/20261129T213000Z.json',
  'quarantine/corrupt/silver/streams/dt=2026-11-29/20261129T213000Z.parquet',
  'quarantine/corrupt/silver/streams/dt=2026-11-29/20261129T213000Z.parquet.reason.json',
];

const STRAY = [
  'silver/streams/dt=2026-11-29/my_export.parquet',
  'gold/streams_diario/dt=2026-11-29/backup.parquet',
  'gold/old_table/dt=2026-11-29/part-0.parquet',
  'quarantine/streams/dt=2026-11-29/20261129T213000Z.parquet',
  'quarantine/streams/dt=2026-11-29/20261129T213000Z-refused-20261129T220512Z-silver.parquet',
  'quarantine/streams/dt=2026-11-29/20261129T213000Z-refused-later-bronze.parquet',
  'raw/streams/extra/dt=2026-11-29/20261129T213000Z.parquet',
  'raw/streams/dt=2026-11-29/notes.txt',
  'raw/streams/.DS_Store',
  'notes.txt',
];

describe('lake keys', () => {
  it('name the table, date and snapshot of the objects the pipeline writes', () => {
    // Act
    const parsed = OBJECTS.map(lakeObjectOf);

    // Assess
    expect(parsed.map((object) => object?.prefix)).toEqual([
      'raw/streams/',
      'silver/streams/',
      'quarantine/streams/',
      'gold/streams_diario/',
      'gold/tendencias_diario/',
      'quarantine/streams/',
    ]);
    expect(parsed[2]).toEqual({ prefix: 'quarantine/streams/', dt: '2026-11-29', snapshotId: '20261129T213000Z-silver' });
  });

  it('count as stray only what no step wrote', () => {
    // Act
    const stray = strayLakeKeys([...OBJECTS, ...SET_ASIDE, ...STRAY]);

    // Assess
    expect(stray).toEqual(STRAY);
  });
});
