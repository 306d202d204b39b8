import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetKeyValues, withEngine } from '@twitch-pipeline/duckdb';
import { createLogger } from '@twitch-pipeline/observability';
import { BRONZE_TIME_ZONE_KEY, bronzeStreamRowSchema, quarantineKey } from '@twitch-pipeline/schemas';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { extractSnapshot, type SourceRecord, type StreamSource } from '../src/index';

const config = { languages: ['pt', 'en'], intervalMinutes: 30, timeZone: 'America/Sao_Paulo' };
// 01:30 UTC is still the previous day in Sao Paulo: dt follows the pipeline time zone.
const collectedAt = new Date('2026-11-30T01:30:00Z');

function validStream(rank: number, language = 'pt'): Record<string, unknown> {
  return {
    id: String(40_000_000 + rank),
    user_id: String(900 + rank),
    user_login: `canal_${rank}`,
    user_name: `Canal ${rank} ✨`,
    game_id: rank % 2 === 0 ? '509658' : '',
    game_name: rank % 2 === 0 ? 'Just Chatting' : '',
    type: 'live',
    title: `Título ${rank} 🎮 ação`,
    tags: rank % 3 === 0 ? null : ['Português', 'PT'],
    viewer_count: 1000 - rank,
    started_at: '2026-11-29T22:15:00Z',
    language,
    thumbnail_url: 'https://static-cdn.example/{width}x{height}.jpg',
    tag_ids: rank % 2 === 0 ? [] : null,
    is_mature: rank % 5 === 0,
  };
}

/** Twelve kinds of broken record, each as a list of fields to change (undefined = remove). */
const MALFORMED: unknown[] = [
  { ...validStream(101), id: undefined },
  { ...validStream(102), id: 102 },
  { ...validStream(103), id: 'abc' },
  { ...validStream(104), user_login: '' },
  { ...validStream(105), viewer_count: '12' },
  { ...validStream(106), viewer_count: -3 },
  { ...validStream(107), viewer_count: 1.5 },
  { ...validStream(108), started_at: 'yesterday' },
  { ...validStream(109), is_mature: 'no' },
  { ...validStream(110), tags: 'Português' },
  { ...validStream(111), game_name: null },
  { ...validStream(112), title: undefined },
  null,
  'not a record',
].map((record) => (record && typeof record === 'object' ? JSON.parse(JSON.stringify(record)) : record));

function fixedSource(records: SourceRecord[]): StreamSource & { calls: number } {
  return {
    calls: 0,
    async crawlStreams() {
      this.calls += 1;
      return { records, pages: Math.ceil(records.length / 100), retries: 0, rateLimited: 0, restarts: 0, durationMs: 1 };
    },
  };
}

let directory: string;
let store: LocalObjectStore;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'extract-test-'));
  store = new LocalObjectStore(join(directory, 'lake'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function readParquet(key: string): Promise<Record<string, unknown>[]> {
  const path = join(directory, `${key.replaceAll('/', '_')}.read.parquet`);
  await writeFile(path, await store.get(key));
  return withEngine({}, (engine) => engine.all('SELECT * FROM read_parquet($path)', { path }));
}

describe('extractSnapshot', () => {
  it('writes valid records to bronze and quarantines each malformed kind with its reason', async () => {
    // prepare
    const valid = Array.from({ length: 250 }, (_, rank) => ({ queryLanguage: rank < 200 ? 'pt' : 'en', record: validStream(rank) }));
    const malformed = MALFORMED.map((record) => ({ queryLanguage: 'pt', record }));
    const source = fixedSource([...valid, ...malformed]);

    // act
    const summary = await extractSnapshot({ source, store, config, collectedAt, now: collectedAt });

    // assess
    expect(summary).toMatchObject({
      snapshotId: '20261130T013000Z',
      dt: '2026-11-29',
      collectedAt: '2026-11-30T01:30:00.000Z',
      bronzeKey: 'raw/streams/dt=2026-11-29/20261130T013000Z.parquet',
      quarantineKey: 'quarantine/streams/dt=2026-11-29/20261130T013000Z-bronze.parquet',
      collected: 264,
      written: 250,
      quarantined: 14,
      byLanguage: { pt: 214, en: 50 },
    });
    const quarantined = await readParquet(summary.quarantineKey!);
    expect(quarantined).toHaveLength(14);
    const reasons = quarantined.map((row) => String(row.reason));
    for (const field of ['id', 'user_login', 'viewer_count', 'started_at', 'is_mature', 'tags', 'game_name', 'title', '(record)']) {
      expect(reasons.some((reason) => reason.startsWith(`${field}:`))).toBe(true);
    }
    expect(quarantined.every((row) => row.layer === 'bronze' && row.snapshot_id === '20261130T013000Z')).toBe(true);
    expect(quarantined.map((row) => row.record)).toContain('null');
  });

  it('lands bronze that reads back with DuckDB equal to what was collected', async () => {
    // prepare
    const records = Array.from({ length: 120 }, (_, rank) => ({ queryLanguage: 'pt', record: { ...validStream(rank), extra_field: 'x' } }));
    const source = fixedSource(records);

    // act
    const summary = await extractSnapshot({ source, store, config, collectedAt, now: collectedAt });

    // assess
    const stored = (await readParquet(summary.bronzeKey)).map((row) => ({
      ...row,
      collected_at: (row.collected_at as Date).toISOString(),
    }));
    const expected = records.map(({ record }) =>
      bronzeStreamRowSchema.parse({
        ...record,
        snapshot_id: summary.snapshotId,
        collected_at: summary.collectedAt,
        query_language: 'pt',
        collection_interval_minutes: 30,
      }),
    );
    expect(stored).toEqual(expected);
    expect(summary.quarantineKey).toBeUndefined();
    expect(await store.exists(quarantineKey(summary.dt, summary.snapshotId, 'bronze'))).toBe(false);
    // The zone its dt was computed in, for silver to date it in whatever the setting becomes.
    const path = store.pathOf(summary.bronzeKey);
    expect(await withEngine({}, (engine) => parquetKeyValues(engine, [path], BRONZE_TIME_ZONE_KEY))).toEqual(['America/Sao_Paulo']);
  });

  it('rewrites identical objects when the same collection time is extracted again', async () => {
    // prepare
    const records = [...Array.from({ length: 300 }, (_, rank) => ({ queryLanguage: 'en', record: validStream(rank, 'en') }))];
    const first = await extractSnapshot({ source: fixedSource([...records, { queryLanguage: 'en', record: null }]), store, config, collectedAt, now: collectedAt });
    const firstBronze = await store.get(first.bronzeKey);

    // act
    const second = await extractSnapshot({ source: fixedSource(records), store, config, collectedAt, now: collectedAt });

    // assess
    expect(second.bronzeKey).toBe(first.bronzeKey);
    expect(Buffer.from(await store.get(second.bronzeKey)).equals(Buffer.from(firstBronze))).toBe(true);
    expect(await store.exists(first.quarantineKey!)).toBe(false);
    expect((await store.list('raw/streams/')).map((object) => object.key)).toEqual([first.bronzeKey]);
  });

  it('writes nothing when the crawl fails, and says which snapshot failed', async () => {
    // prepare
    const source: StreamSource = {
      crawlStreams: async () => {
        throw new Error('GET /streams failed after 7 attempts: returned a non-JSON response (status 200, text/html)');
      },
    };

    // act
    const outcome = extractSnapshot({ source, store, config, collectedAt, now: collectedAt });

    // assess
    await expect(outcome).rejects.toThrow(/snapshot 20261130T013000Z failed, nothing was written: GET \/streams failed/);
    expect(await store.list('')).toEqual([]);
  });

  it('writes an empty bronze object when no stream is live', async () => {
    // prepare
    const source = fixedSource([]);

    // act
    const summary = await extractSnapshot({ source, store, config, collectedAt, now: collectedAt });

    // assess
    expect(summary).toMatchObject({ collected: 0, written: 0, quarantined: 0 });
    expect(await readParquet(summary.bronzeKey)).toEqual([]);
  });

  it('counts every requested language, with 0 for one that had no live stream, and warns about it', async () => {
    // prepare: Twitch answers a mistyped code ("sp") with no streams rather than an error
    const source = fixedSource([{ queryLanguage: 'pt', record: validStream(1) }]);
    const logger = createLogger('extract');
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // act
    const summary = await extractSnapshot({ source, store, config: { ...config, languages: ['pt', 'sp'] }, collectedAt, now: collectedAt, logger });

    // assess
    expect(summary.byLanguage).toEqual({ pt: 1, sp: 0 });
    expect(summary.languagesWithoutStreams).toEqual(['sp']);
    expect(warn.mock.calls).toContainEqual(['no live streams in requested languages', { snapshotId: '20261130T013000Z', languages: ['sp'] }]);
  });
});
