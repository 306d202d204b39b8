import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withEngine } from '@twitch-pipeline/duckdb';
import { type HelixSimulator, startHelixSimulator } from '@twitch-pipeline/helix-simulator';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { createMetrics, Logger, type Metrics } from '@twitch-pipeline/observability';
import { HelixClient } from '@twitch-pipeline/twitch';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EarlierSnapshotKeptError, extractSnapshot } from '../src/index';

// A slot collected again, as a manual restart of its execution does, while Twitch answers with
// records that all fail validation: the good snapshot it already has must survive.
const collectedAt = new Date('2026-11-29T23:00:00Z');
const rerunAt = new Date('2026-11-29T23:10:00Z');
const config = { languages: ['pt', 'en'], intervalMinutes: 30, timeZone: 'America/Sao_Paulo' };

let sim: HelixSimulator;
let directory: string;
let store: LocalObjectStore;

beforeEach(async () => {
  sim = await startHelixSimulator({ seed: 5, averageLiveChannels: 800, startTime: collectedAt });
  directory = await mkdtemp(join(tmpdir(), 'extract-refused-'));
  store = new LocalObjectStore(join(directory, 'lake'));
});

afterEach(async () => {
  await sim.close();
  await rm(directory, { recursive: true, force: true });
});

function extract(now: Date, metrics?: Metrics) {
  const source = new HelixClient({ apiUrl: sim.apiUrl, authUrl: sim.authUrl, ...sim.credentials, retry: { backoffBaseMs: 20, backoffMaxMs: 200, maxRetries: 3 } });
  return extractSnapshot({ source, store, config, collectedAt, now, ...(metrics ? { metrics } : {}) });
}

async function readRows(key: string): Promise<Record<string, unknown>[]> {
  const path = join(directory, `${key.replaceAll('/', '_')}.read.parquet`);
  await writeFile(path, await store.get(key));
  return withEngine({}, (engine) => engine.all('SELECT * FROM read_parquet($path)', { path }));
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('extractSnapshot of a slot again, every record quarantined', () => {
  it('keeps the bronze and quarantine objects it has, keeps the new rejected records apart, and fails saying so', async () => {
    // prepare
    sim.setFaults({ malformedRate: 0.05 });
    const first = await extract(collectedAt);
    const before = (await Promise.all([store.get(first.bronzeKey), store.get(first.quarantineKey!)])).map(base64);
    sim.setFaults({ malformedRate: 1 });
    const metrics = createMetrics('extract', new Logger({ serviceName: 'extract', logLevel: 'SILENT' }));
    const added = vi.spyOn(metrics, 'addMetric');

    // act
    const outcome = await extract(rerunAt, metrics).catch((error: unknown) => error);

    // assess
    expect(first.written).toBeGreaterThan(0);
    expect(outcome).toBeInstanceOf(EarlierSnapshotKeptError);
    const { message, rejectedKey } = outcome as EarlierSnapshotKeptError;
    expect(message).toMatch(
      new RegExp(
        `^snapshot 20261129T230000Z: all [\\d,]+ streams collected were quarantined, none reached bronze \\(first reason: .+\\); ` +
          `the earlier snapshot of this slot was kept \\(${first.bronzeKey}, ${first.written.toLocaleString('en-US')} rows\\) with its quarantine object, ` +
          `and this crawl's rejected records are in ${rejectedKey}$`,
      ),
    );
    expect(rejectedKey).toMatch(/^quarantine\/streams\/dt=2026-11-29\/20261129T230000Z-refused-20261129T2310\d\dZ-bronze\.parquet$/);
    expect((await Promise.all([store.get(first.bronzeKey), store.get(first.quarantineKey!)])).map(base64)).toEqual(before);
    const rejected = await readRows(rejectedKey);
    expect(rejected.length).toBeGreaterThan(first.quarantined);
    expect(rejected.every((row) => row.snapshot_id === '20261129T230000Z' && row.layer === 'bronze' && String(row.reason).length > 0)).toBe(true);
    expect((outcome as EarlierSnapshotKeptError).quarantined).toBe(rejected.length);
    expect(added.mock.calls.filter(([name]) => name === 'StreamsQuarantined').map(([, , value]) => value)).toEqual([rejected.length]);
    expect((await store.list('')).map((object) => object.key)).toEqual([first.quarantineKey, rejectedKey, first.bronzeKey]);
  });

  it('keeps an earlier object it cannot read, naming it by its key, not by the run\'s temporary copy', async () => {
    // prepare: the slot's bronze object is not Parquet, so DuckDB's error names the file it read
    const first = await extract(collectedAt);
    await store.put(first.bronzeKey, Buffer.from('not parquet'));
    sim.setFaults({ malformedRate: 1 });

    // act
    const outcome = await extract(rerunAt).catch((error: unknown) => error);

    // assess
    expect(outcome).toBeInstanceOf(EarlierSnapshotKeptError);
    const { message } = outcome as EarlierSnapshotKeptError;
    expect(message).toContain(`was kept (${first.bronzeKey}, unreadable: `);
    expect(message).not.toContain(tmpdir());
    expect(message).not.toContain('earlier.parquet');
  });

  it('writes an empty snapshot over one with no rows, as a first crawl writes it', async () => {
    // prepare
    sim.setFaults({ malformedRate: 1 });
    const first = await extract(collectedAt);

    // act
    const second = await extract(rerunAt);

    // assess
    expect(first).toMatchObject({ written: 0, quarantineKey: second.quarantineKey });
    expect(second).toMatchObject({ written: 0, quarantined: first.quarantined });
    expect(first.quarantined).toBeGreaterThan(0);
    expect((await store.list('')).map((object) => object.key)).toEqual([second.quarantineKey, second.bronzeKey]);
  });

  it('overwrites the snapshot when the crawl again has a record bronze takes', async () => {
    // prepare
    const first = await extract(collectedAt);
    sim.setFaults({ malformedRate: 0.5 });

    // act
    const second = await extract(rerunAt);

    // assess
    expect(second.written).toBeGreaterThan(0);
    expect(second.written).toBeLessThan(first.written);
    expect(second.quarantined).toBeGreaterThan(0);
    expect((await readRows(second.bronzeKey)).length).toBe(second.written);
    expect((await store.list('')).map((object) => object.key)).toEqual([second.quarantineKey, second.bronzeKey]);
  });
});
