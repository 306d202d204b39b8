import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HelixSimulator, startHelixSimulator } from '@twitch-pipeline/helix-simulator';
import { LocalObjectStore } from '@twitch-pipeline/storage';
import { HelixClient } from '@twitch-pipeline/twitch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crawlMinutesLate, extractSnapshot, readBronzeEvents, runSilver } from '../src/index';

// A crawl that starts late in its slot (the first cycle of `run`, a laptop waking mid-slot, a
// retried extract) lists streams that started after the slot began: they were live when listed.
const slot = new Date('2026-12-06T00:00:00Z');
const crawledAt = new Date('2026-12-06T00:20:59Z');
const config = { languages: ['pt', 'en'], intervalMinutes: 30, timeZone: 'America/Sao_Paulo' };

let sim: HelixSimulator;
let directory: string;
let store: LocalObjectStore;

beforeEach(async () => {
  sim = await startHelixSimulator({ seed: 5, averageLiveChannels: 2000, startTime: crawledAt });
  directory = await mkdtemp(join(tmpdir(), 'extract-late-'));
  store = new LocalObjectStore(join(directory, 'lake'));
});

afterEach(async () => {
  await sim.close();
  await rm(directory, { recursive: true, force: true });
});

describe('a crawl that ends late in its slot', () => {
  it('keeps, in silver and on the queue, every stream live when it was listed, even one started after the slot plus the skew', async () => {
    // Prepare
    const source = new HelixClient({ apiUrl: sim.apiUrl, authUrl: sim.authUrl, ...sim.credentials });
    const live = sim.liveStreams().filter((stream) => config.languages.includes(stream.language));
    const startedLate = live.filter((stream) => Date.parse(stream.started_at) > slot.getTime() + 5 * 60_000);

    // Act
    const extract = await extractSnapshot({ source, store, config, collectedAt: slot, now: crawledAt });
    const silver = await runSilver({ store, bronzeKeys: [extract.bronzeKey], timeZone: config.timeZone });
    const events = await readBronzeEvents(store, extract.bronzeKey, { timeZone: config.timeZone });

    // Assess
    expect(startedLate.length).toBeGreaterThan(0);
    expect(extract).toMatchObject({ collected: live.length, written: live.length, quarantined: 0 });
    expect(silver.failed).toEqual([]);
    expect({ rowsOut: silver.rowsOut, quarantined: silver.quarantined }).toEqual({ rowsOut: live.length, quarantined: 0 });
    expect({ events: events.events.length, skipped: events.skipped }).toEqual({ events: live.length, skipped: {} });
  });

  it('still quarantines a start time later than the crawl itself plus the skew', async () => {
    // Prepare: the same late crawl's records, one of them claiming to start 10 minutes after it
    // ended, from a source standing in for the Helix client (the simulator never sends one).
    const future = new Date(crawledAt.getTime() + 10 * 60_000).toISOString();
    const [first, ...rest] = sim.liveStreams().filter((stream) => config.languages.includes(stream.language));
    const records = [{ ...first!, started_at: future }, ...rest].map((record) => ({ record, queryLanguage: record.language }));
    const source = { crawlStreams: async () => ({ records, pages: 1, retries: 0, rateLimited: 0, durationMs: 1 }) };

    // Act
    const extract = await extractSnapshot({ source, store, config, collectedAt: slot, now: crawledAt });
    const silver = await runSilver({ store, bronzeKeys: [extract.bronzeKey], timeZone: config.timeZone });
    const events = await readBronzeEvents(store, extract.bronzeKey, { timeZone: config.timeZone });

    // Assess
    expect(silver.quarantined).toBe(1);
    expect(events.skipped).toEqual({ 'started_at after collected_at beyond the allowed skew': 1 });
  });
});

describe('crawlMinutesLate', () => {
  it('rounds up to whole minutes and never goes below 0', () => {
    // act + assess
    expect(crawlMinutesLate(slot, crawledAt)).toBe(21);
    expect(crawlMinutesLate(slot, new Date(slot.getTime() + 1))).toBe(1);
    expect(crawlMinutesLate(slot, slot)).toBe(0);
    expect(crawlMinutesLate(slot, new Date(slot.getTime() - 60_000))).toBe(0);
  });
});
