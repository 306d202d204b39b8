import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { type HelixSimulator, startHelixSimulator } from '@twitch-pipeline/helix-simulator';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { HelixClient } from '@twitch-pipeline/twitch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractSnapshot } from '../src/index';

const collectedAt = new Date('2026-11-29T23:00:00Z');
const config = { languages: ['pt', 'en', 'es'], intervalMinutes: 30, timeZone: 'America/Sao_Paulo' };

let sim: HelixSimulator;
let directory: string;
let store: LocalObjectStore;

beforeEach(async () => {
  sim = await startHelixSimulator({ seed: 11, averageLiveChannels: 3000, startTime: collectedAt });
  directory = await mkdtemp(join(tmpdir(), 'extract-http-'));
  store = new LocalObjectStore(join(directory, 'lake'));
});

afterEach(async () => {
  await sim.close();
  await rm(directory, { recursive: true, force: true });
});

function helixClient(): HelixClient {
  return new HelixClient({ apiUrl: sim.apiUrl, authUrl: sim.authUrl, ...sim.credentials, retry: { backoffBaseMs: 20, backoffMaxMs: 200, maxRetries: 3 } });
}

async function readParquet(key: string): Promise<Record<string, unknown>[]> {
  const path = join(directory, `${key.replaceAll('/', '_')}.read.parquet`);
  await writeFile(path, await store.get(key));
  return withEngine({}, (engine) => engine.all('SELECT * FROM read_parquet($path)', { path }));
}

describe('extractSnapshot over HTTP against the Helix simulator', () => {
  it('lands bronze that reads back equal to the live list', async () => {
    // prepare
    const live = sim.liveStreams().filter((stream) => config.languages.includes(stream.language));

    // act
    const summary = await extractSnapshot({ source: helixClient(), store, config, collectedAt, now: collectedAt });

    // assess
    expect(summary).toMatchObject({ collected: live.length, written: live.length, quarantined: 0, rateLimited: 0 });
    const bronze = await readParquet(summary.bronzeKey);
    const stored = bronze.map(({ snapshot_id, collected_at, query_language, collection_interval_minutes, ...helix }) => {
      expect([snapshot_id, (collected_at as Date).toISOString(), collection_interval_minutes]).toEqual([
        '20261129T230000Z',
        '2026-11-29T23:00:00.000Z',
        30,
      ]);
      expect(query_language).toBe(helix.language);
      return helix;
    });
    const byId = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.id).localeCompare(String(b.id));
    expect(stored.sort(byId)).toEqual(live.map((stream) => ({ ...stream, tag_ids: stream.tag_ids ?? null })).sort(byId));
    expect(summary.byLanguage).toEqual(
      Object.fromEntries(config.languages.map((language) => [language, live.filter((stream) => stream.language === language).length])),
    );
  });

  it('quarantines ten and more kinds of malformed records with reasons while the rest land', async () => {
    // prepare
    sim.setFaults({ malformedRate: 0.15, extraFieldRate: 0.2 });
    const live = sim.liveStreams().filter((stream) => config.languages.includes(stream.language));

    // act
    const summary = await extractSnapshot({ source: helixClient(), store, config, collectedAt, now: collectedAt });

    // assess
    expect(summary.collected).toBe(summary.written + summary.quarantined);
    expect(summary.collected).toBe(live.length);
    const quarantined = await readParquet(summary.quarantineKey!);
    const bronze = await readParquet(summary.bronzeKey);
    const fieldsBroken = new Set(quarantined.map((row) => String(row.reason).split(':')[0]));
    expect(fieldsBroken.size).toBeGreaterThanOrEqual(8);
    const reasonKinds = new Set(quarantined.map((row) => String(row.reason)));
    expect(reasonKinds.size).toBeGreaterThanOrEqual(10);
    const landedIds = new Set([
      ...bronze.map((row) => String(row.id)),
      ...quarantined.map((row) => String((JSON.parse(String(row.record)) as { id?: unknown }).id)),
    ]);
    const missingId = quarantined.filter((row) => String(row.reason).startsWith('id:')).length;
    expect(live.filter((stream) => !landedIds.has(stream.id)).length).toBeLessThanOrEqual(missingId);
    expect(bronze.every((row) => !('is_branded_content' in row))).toBe(true);
  });

  it('fails the snapshot clearly and writes nothing when Helix keeps answering with an HTML error page', async () => {
    // prepare
    sim.setFaults({ htmlErrorRate: 1 });

    // act
    const outcome = extractSnapshot({ source: helixClient(), store, config, collectedAt, now: collectedAt });

    // assess
    await expect(outcome).rejects.toThrow(/snapshot 20261129T230000Z failed, nothing was written: .*non-JSON response \(status 502, text\/html/);
    expect(await store.list('')).toEqual([]);
  });

  it('rewrites identical bronze and quarantine objects when the same collection time is extracted again', async () => {
    // prepare
    sim.setFaults({ malformedRate: 0.05 });
    const first = await extractSnapshot({ source: helixClient(), store, config, collectedAt, now: collectedAt });
    const firstObjects = await Promise.all([store.get(first.bronzeKey), store.get(first.quarantineKey!)]);

    // act
    const second = await extractSnapshot({ source: helixClient(), store, config, collectedAt, now: collectedAt });

    // assess
    const secondObjects = await Promise.all([store.get(second.bronzeKey), store.get(second.quarantineKey!)]);
    expect(second).toMatchObject({ bronzeKey: first.bronzeKey, quarantineKey: first.quarantineKey, written: first.written });
    expect(secondObjects.map((bytes) => Buffer.from(bytes).toString('base64'))).toEqual(
      firstObjects.map((bytes) => Buffer.from(bytes).toString('base64')),
    );
    expect((await store.list('')).map((object) => object.key)).toEqual([first.quarantineKey, first.bronzeKey]);
  });
});
