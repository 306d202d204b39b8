import { type HelixSimulator, type HelixSimulatorOptions, startHelixSimulator } from '@twitch-pipeline/helix-simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { HelixClient, type HelixClientOptions } from '../src/index';

// An evening in Sao Paulo: pt, en and es channels are all well represented.
const startTime = new Date('2026-11-29T23:00:00Z');
const LANGUAGES = ['pt', 'en', 'es'];
const quickRetries = { backoffBaseMs: 20, backoffMaxMs: 200 };

let sim: HelixSimulator | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function simulator(options: HelixSimulatorOptions = {}): Promise<HelixSimulator> {
  sim = await startHelixSimulator({ seed: 7, averageLiveChannels: 3000, startTime, ...options });
  return sim;
}

function clientOf(server: HelixSimulator, extra: Partial<HelixClientOptions> = {}): HelixClient {
  return new HelixClient({ apiUrl: server.apiUrl, authUrl: server.authUrl, ...server.credentials, retry: quickRetries, ...extra });
}

function idsOf(records: { record: unknown }[]): string[] {
  return records.map(({ record }) => String((record as { id: unknown }).id));
}

function liveIds(server: HelixSimulator, languages: string[] | 'all'): string[] {
  return server
    .liveStreams()
    .filter((stream) => languages === 'all' || languages.includes(stream.language))
    .map((stream) => stream.id);
}

describe('HelixClient against the Helix simulator', () => {
  it('collects every stream live at snapshot time exactly once while the list drifts', async () => {
    // prepare
    const server = await simulator({ faults: { listDrift: 3 } });
    const client = clientOf(server);

    // act
    const result = await client.crawlStreams({ languages: LANGUAGES });

    // assess
    const collected = idsOf(result.records);
    expect(new Set(collected).size).toBe(collected.length);
    const live = liveIds(server, LANGUAGES);
    expect(live.length).toBeGreaterThan(1000);
    const collectedSet = new Set(collected);
    expect(live.filter((id) => !collectedSet.has(id))).toEqual([]);
    const liveSet = new Set(live);
    const extra = result.records.filter(({ record }) => !liveSet.has(String((record as { id: string }).id)));
    expect(extra.every(({ record }) => String((record as { user_login: string }).user_login).startsWith('risingstar_'))).toBe(true);
  });

  it('paces by the Ratelimit headers through several windows with no 429', async () => {
    // prepare: 10 points per 2 s refill; a crawl of 30 pages or more needs three windows or more
    const server = await simulator({ rateLimit: { points: 10, windowMs: 2000 } });
    const client = clientOf(server);

    // act
    const result = await client.crawlStreams({ languages: ['all'] });

    // assess
    expect(result.requests).toBeGreaterThanOrEqual(30);
    expect(result.rateLimited).toBe(0);
    expect(server.stats().rateLimited).toBe(0);
    expect(new Set(idsOf(result.records))).toEqual(new Set(liveIds(server, 'all')));
  });

  it('completes with no lost page under forced 429s, 5xx and HTML error pages', async () => {
    // prepare
    const server = await simulator({ faults: { serverErrorRate: 0.1, rateLimitRate: 0.08, htmlErrorRate: 0.05 } });
    const client = clientOf(server);

    // act
    const result = await client.crawlStreams({ languages: LANGUAGES });

    // assess
    expect(result.retries).toBeGreaterThan(0);
    expect(result.rateLimited).toBeGreaterThan(0);
    expect(new Set(idsOf(result.records))).toEqual(new Set(liveIds(server, LANGUAGES)));
    expect(idsOf(result.records)).toHaveLength(liveIds(server, LANGUAGES).length);
  });

  it('completes with no lost page when requests time out', async () => {
    // prepare: the second, third and fourth page requests answer slower than the per-request timeout
    const server = await simulator({ averageLiveChannels: 1500 });
    let pageRequests = 0;
    const client = clientOf(server, {
      retry: { ...quickRetries, requestTimeoutMs: 200 },
      fetch: async (input, init) => {
        if (String(input).includes('/helix/streams')) {
          pageRequests += 1;
          server.setFaults({ latencyMs: pageRequests >= 2 && pageRequests <= 4 ? 400 : 0 });
        }
        return fetch(input, init);
      },
    });

    // act
    const result = await client.crawlStreams({ languages: ['pt'] });

    // assess
    expect(result.retries).toBeGreaterThanOrEqual(3);
    expect(new Set(idsOf(result.records))).toEqual(new Set(liveIds(server, ['pt'])));
  });

  it('restarts a language after 400 invalid cursor and still collects each stream once', async () => {
    // prepare
    const server = await simulator({ faults: { invalidCursorRate: 0.15 } });
    const client = clientOf(server, { maxRestartsPerLanguage: 50 });

    // act
    const result = await client.crawlStreams({ languages: LANGUAGES });

    // assess
    expect(result.restarts).toBeGreaterThan(0);
    expect(idsOf(result.records).sort()).toEqual(liveIds(server, LANGUAGES).sort());
  });

  it('stops when the last cursor loops back to the first page', async () => {
    // prepare
    const server = await simulator({ faults: { cursorLoop: true, listDrift: 2 } });
    const client = clientOf(server);

    // act
    const result = await client.crawlStreams({ languages: ['en'] });

    // assess
    const live = liveIds(server, ['en']);
    expect(result.pages).toBeLessThanOrEqual(Math.ceil(live.length / 100) + 2);
    const collected = new Set(idsOf(result.records));
    expect(live.every((id) => collected.has(id))).toBe(true);
  });

  it('renews a token that expires mid-crawl once and repeats the refused call', async () => {
    // prepare: the population clock jumps past the token's lifetime after the third page
    const server = await simulator({ tokenLifetimeSeconds: 600 });
    let pages = 0;
    const client = clientOf(server, {
      fetch: async (input, init) => {
        if (String(input).includes('/helix/streams') && ++pages === 4) server.clock.advance(601_000);
        return fetch(input, init);
      },
    });

    // act
    const result = await client.crawlStreams({ languages: ['en'] });

    // assess
    expect(server.stats().tokensIssued).toBe(2);
    expect(client.tokensIssued).toBe(2);
    expect(result.pages).toBeGreaterThan(4);
    expect(new Set(idsOf(result.records)).size).toBe(result.records.length);
  });

  it('fails clearly once the HTML error pages outlast the retries', async () => {
    // prepare
    const server = await simulator({ faults: { htmlErrorRate: 1 } });
    const client = clientOf(server, { retry: { ...quickRetries, maxRetries: 2 } });

    // act
    const crawl = client.crawlStreams({ languages: ['pt'] });

    // assess
    await expect(crawl).rejects.toThrow(/GET \/streams failed after 3 attempts.*non-JSON response \(status 502, text\/html/);
  });
});
