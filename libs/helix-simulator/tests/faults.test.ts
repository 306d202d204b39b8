import { helixErrorSchema, helixStreamSchema } from '@twitch-pipeline/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { type HelixSimulator, MALFORMATIONS, startHelixSimulator } from '../src/index';
import { crawl, helixGet, requestToken, type StreamsPage } from './simulator-client';

const START = new Date('2026-03-11T01:30:00Z');

async function startWithToken(faults: Parameters<HelixSimulator['setFaults']>[0] = {}) {
  const sim = await startHelixSimulator({ seed: 11, averageLiveChannels: 2_000, startTime: START });
  const token = await requestToken(sim);
  sim.setFaults(faults);
  return { sim, token };
}

/** The malformation that turns `original` into `served`, if any. */
function kindOf(original: object, served: Record<string, unknown>): string | undefined {
  return Object.keys(MALFORMATIONS).find((kind) => {
    const copy: Record<string, unknown> = { ...original };
    MALFORMATIONS[kind]!(copy);
    return JSON.stringify(copy) === JSON.stringify(served);
  });
}

describe('fault knobs', () => {
  let sim: HelixSimulator;

  afterEach(async () => {
    await sim.close();
  });

  it('delays responses by latencyMs', async () => {
    // prepare
    ({ sim } = await startWithToken({ latencyMs: 150 }));
    const startedAt = performance.now();

    // act
    await fetch(`${sim.apiUrl}/streams`);

    // assess
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(145);
  });

  it('answers JSON 5xx at serverErrorRate 1', async () => {
    // prepare
    const started = await startWithToken({ serverErrorRate: 1 });
    sim = started.sim;

    // act
    const responses = await Promise.all([1, 2, 3, 4, 5, 6].map(() => helixGet(sim, started.token, '/streams')));

    // assess
    for (const response of responses) {
      expect([500, 503]).toContain(response.status);
      expect(response.headers.get('ratelimit-limit')).toBe('800');
      expect(helixErrorSchema.parse(await response.json()).status).toBe(response.status);
    }
  });

  it('answers a 502 HTML page at htmlErrorRate 1', async () => {
    // prepare
    const started = await startWithToken({ htmlErrorRate: 1 });
    sim = started.sim;

    // act
    const response = await helixGet(sim, started.token, '/streams');

    // assess
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('<h1>502 Bad Gateway</h1>');
  });

  it('answers spurious 429s at rateLimitRate 1 while the bucket still has points', async () => {
    // prepare
    const started = await startWithToken({ rateLimitRate: 1 });
    sim = started.sim;

    // act
    const response = await helixGet(sim, started.token, '/streams');

    // assess
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('ratelimit-remaining'))).toBeGreaterThan(0);
    expect(sim.stats().rateLimited).toBe(1);
  });

  it('drops the connection without a response at connectionResetRate 1', async () => {
    // prepare
    const started = await startWithToken({ connectionResetRate: 1 });
    sim = started.sim;

    // act
    const outcome = await helixGet(sim, started.token, '/streams').then(
      (response) => `HTTP ${response.status}`,
      (error: unknown) => (error instanceof Error ? error.name : 'unknown'),
    );

    // assess
    expect(outcome).toBe('TypeError');
    expect(sim.stats().requests).toBeGreaterThanOrEqual(2);
  });

  it('breaks every record at malformedRate 1, in at least ten different ways', async () => {
    // prepare
    const started = await startWithToken({ malformedRate: 1 });
    sim = started.sim;
    const live = sim.liveStreams();

    // act
    const pages = await crawl(sim, started.token, 'first=100', 5);

    // assess
    const records = pages.flatMap((page) => page.data);
    const kinds = new Set<string>();
    for (const [index, record] of records.entries()) {
      expect(helixStreamSchema.safeParse(record).success).toBe(false);
      const kind = kindOf(live[index]!, record);
      expect(kind).toBeDefined();
      kinds.add(kind!);
    }
    expect(kinds.size).toBeGreaterThanOrEqual(10);
  });

  it('breaks about malformedRate of the records, the same ones on every crawl', async () => {
    // prepare
    const started = await startWithToken({ malformedRate: 0.1 });
    sim = started.sim;

    // act
    const first = (await crawl(sim, started.token, 'first=100')).flatMap((page) => page.data);
    const second = (await crawl(sim, started.token, 'first=100')).flatMap((page) => page.data);

    // assess
    const broken = first.filter((record) => !helixStreamSchema.safeParse(record).success).length;
    expect(broken / first.length).toBeGreaterThan(0.05);
    expect(broken / first.length).toBeLessThan(0.15);
    expect(second).toEqual(first);
  });

  it('adds unknown fields at extraFieldRate 1 that the schema tolerates', async () => {
    // prepare
    const started = await startWithToken({ extraFieldRate: 1 });
    sim = started.sim;

    // act
    const response = await helixGet(sim, started.token, '/streams?first=10');

    // assess
    const page = (await response.json()) as StreamsPage;
    for (const record of page.data) {
      expect(Object.keys(record)).toContain('is_branded_content');
      expect(helixStreamSchema.safeParse(record).success).toBe(true);
    }
  });

  it('applies faults set after start and turns them off again', async () => {
    // prepare
    const started = await startWithToken({ serverErrorRate: 1 });
    sim = started.sim;
    const failing = await helixGet(sim, started.token, '/streams');

    // act
    sim.setFaults({ serverErrorRate: 0 });
    const healthy = await helixGet(sim, started.token, '/streams');

    // assess
    expect(failing.status).toBeGreaterThanOrEqual(500);
    expect(healthy.status).toBe(200);
  });
});
