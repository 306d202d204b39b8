import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine, withEngine } from '@twitch-pipeline/duckdb';
import { bronzeKey, quarantineKey } from '@twitch-pipeline/schemas';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allQuarantinedProblem, extractSnapshot, FutureCollectionTimeError, StaleCollectionTimeError } from '../src/index';
import { fixedSource, helixStream as stream } from './support/fixed-source';

const config = { languages: ['pt'], intervalMinutes: 30, timeZone: 'UTC' };
const collectedAt = new Date('2026-11-30T12:00:00Z');

let directory: string;
let store: LocalObjectStore;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'extract-bad-'));
  store = new LocalObjectStore(join(directory, 'lake'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function readParquet(key: string, orderBy = 'id'): Promise<Record<string, unknown>[]> {
  const path = join(directory, 'read.parquet');
  await writeFile(path, await store.get(key));
  return withEngine({}, (engine) => engine.all(`SELECT * FROM read_parquet($path) ORDER BY ${orderBy}`, { path }));
}

describe('extractSnapshot with hostile records', () => {
  it('keeps a lone surrogate, control characters and a 100 kB title (cleaned and counted) beside good rows', async () => {
    // Prepare: JSON.parse accepts a lone surrogate escape, so a Helix body can carry one.
    const surrogate = JSON.parse('"broken \\ud800 title"') as string;
    const long = 'ação '.repeat(20_000);
    const records = [
      stream(1),
      stream(2, { title: surrogate }),
      stream(3, { title: 'tab\there\u0000nul\u0007bell\nline', user_name: 'Bad\u001bName' }),
      stream(4, { title: long }),
      stream(5, { tags: ['ok', 'x\ud800'] }),
    ];

    // Act
    const summary = await extractSnapshot({ source: fixedSource(records), store, config, collectedAt, now: collectedAt });

    // Assess
    expect(summary).toMatchObject({ collected: 5, written: 5, quarantined: 0, sanitised: 3 });
    const rows = await readParquet(summary.bronzeKey);
    expect(rows.map((row) => row.title)).toEqual(['Título 1', 'broken \ufffd title', 'tab herenulbell line', long, 'Título 5']);
    expect(rows[2]?.user_name).toBe('BadName');
    expect(rows[4]?.tags).toEqual(['ok', 'x\ufffd']);
  });

  it('quarantines a record of odd types alone and writes the rest', async () => {
    // Prepare
    const records = [
      stream(1),
      stream(2, { viewer_count: '12', title: { nested: true } }),
      stream(3, { is_mature: 'yes', tags: [1, 2] }),
      { queryLanguage: 'pt', record: ['not', 'an', 'object'] },
      stream(4),
    ];

    // Act
    const summary = await extractSnapshot({ source: fixedSource(records), store, config, collectedAt, now: collectedAt });

    // Assess
    expect(summary).toMatchObject({ collected: 5, written: 2, quarantined: 3 });
    expect((await readParquet(summary.bronzeKey)).map((row) => row.id)).toEqual(['50000001', '50000004']);
    const quarantine = await readParquet(quarantineKey('2026-11-30', summary.snapshotId, 'bronze'), 'record');
    expect(quarantine.map((row) => row.reason).join(' | ')).toMatch(/\(record\): expected an object, received array \| .*viewer_count.*\| .*is_mature/);
  });
});

describe('extractSnapshot collection-time guard', () => {
  it('refuses a collection time older than the configured maximum age and writes nothing', async () => {
    // Prepare
    const now = new Date('2026-11-30T16:00:00Z');

    // Act
    const outcome = extractSnapshot({ source: fixedSource([stream(1)]), store, config: { ...config, maxSnapshotAgeMinutes: 180 }, collectedAt, now });

    // Assess
    await expect(outcome).rejects.toThrow(StaleCollectionTimeError);
    await expect(outcome).rejects.toThrow(/240 minutes old, more than the 180 minutes/);
    expect(await store.exists(bronzeKey('2026-11-30', '20261130T120000Z'))).toBe(false);
  });

  it('accepts the same time within the maximum age, and any age for a backfill', async () => {
    // Prepare
    const now = new Date('2026-11-30T16:00:00Z');

    // Act
    const recent = await extractSnapshot({ source: fixedSource([stream(1)]), store, config: { ...config, maxSnapshotAgeMinutes: 300 }, collectedAt, now });
    const backfill = await extractSnapshot({ source: fixedSource([stream(1)]), store, config: { ...config, maxSnapshotAgeMinutes: 60 }, collectedAt, now, backfill: true });

    // Assess
    expect(recent.written).toBe(1);
    expect(backfill.written).toBe(1);
  });

  it('refuses a collection time in the future, a backfill\'s too, and writes nothing; a clock a few minutes behind is no future', async () => {
    // Prepare: collectedAt is 12:00; a manual start mistyped a year, or a scheduler's clock runs ahead
    const yearBefore = new Date('2025-11-30T12:00:00Z');
    const minutesBefore = new Date('2026-11-30T11:56:00Z');

    // Act
    const future = await extractSnapshot({ source: fixedSource([stream(1)]), store, config, collectedAt, now: yearBefore, backfill: true }).catch((error: unknown) => error);
    const written = await store.exists(bronzeKey('2026-11-30', '20261130T120000Z'));
    const skewed = await extractSnapshot({ source: fixedSource([stream(1)]), store, config, collectedAt, now: minutesBefore });

    // Assess
    expect(future).toBeInstanceOf(FutureCollectionTimeError);
    expect((future as Error).message).toMatch(/^refusing to extract a snapshot for 2026-11-30T12:00:00.000Z: it is 525600 minutes in the future/);
    expect(written).toBe(false);
    expect(skewed.written).toBe(1);
  });
});

describe('extractSnapshot with an engine it is given', () => {
  it('writes each snapshot whole, leaves no table behind and keeps the engine open for the next', async () => {
    // prepare
    const engine = await DuckDbEngine.open();
    const later = new Date(collectedAt.getTime() + 30 * 60_000);
    try {
      // act
      const first = await extractSnapshot({ source: fixedSource([stream(1), stream(2)]), store, config, collectedAt, now: later, engine });
      const second = await extractSnapshot({ source: fixedSource([stream(3), stream(4, { viewer_count: 'many' }), stream(5)]), store, config, collectedAt: later, now: later, engine });
      // assess
      expect(first).toMatchObject({ written: 2, quarantined: 0 });
      expect(second).toMatchObject({ written: 2, quarantined: 1 });
      expect((await readParquet(first.bronzeKey)).map((row) => row.id)).toEqual(['50000001', '50000002']);
      expect((await readParquet(second.bronzeKey)).map((row) => row.id)).toEqual(['50000003', '50000005']);
      // The feature macros' lookup table (installed once, for the local date) is all that stays.
      expect(await engine.all('SELECT table_name FROM duckdb_tables()')).toEqual([{ table_name: 'non_game_categories' }]);
    } finally {
      await engine.close();
    }
  });
});

describe('allQuarantinedProblem', () => {
  it.each([
    [{ written: 0, quarantined: 2700, firstQuarantineReason: 'id: must be a numeric id string' }, 'all 2,700 streams collected were quarantined, none reached bronze (first reason: id: must be a numeric id string)'],
    [{ written: 0, quarantined: 1, firstQuarantineReason: 'id: must be a numeric id string' }, 'the one stream collected was quarantined, none reached bronze (first reason: id: must be a numeric id string)'],
    [{ written: 5, quarantined: 2700, firstQuarantineReason: 'x' }, undefined],
    [{ written: 0, quarantined: 0 }, undefined],
  ])('names %j as %j', (summary, expected) => {
    // act
    const problem = allQuarantinedProblem(summary);

    // assess
    expect(problem).toBe(expected);
  });
});
