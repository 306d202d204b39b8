import { helixErrorSchema } from '@twitch-pipeline/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { type HelixSimulator, startHelixSimulator } from '../src/index';
import { helixGet, requestToken } from './simulator-client';

const START = new Date('2026-03-11T01:30:00Z');

function rateLimitOf(response: Response) {
  return {
    limit: Number(response.headers.get('ratelimit-limit')),
    remaining: Number(response.headers.get('ratelimit-remaining')),
    reset: Number(response.headers.get('ratelimit-reset')),
  };
}

describe('rate limit', () => {
  let sim: HelixSimulator;

  afterEach(async () => {
    await sim.close();
  });

  it('reports the bucket exactly on every call and answers 429 when it is empty', async () => {
    // prepare
    sim = await startHelixSimulator({ averageLiveChannels: 500, startTime: START, rateLimit: { points: 5, windowMs: 60_000 } });
    const token = await requestToken(sim);
    const startedAt = Date.now();

    // act
    const responses: Response[] = [];
    for (let call = 0; call < 6; call++) responses.push(await helixGet(sim, token, '/streams?first=1'));

    // assess
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(responses.map((response) => rateLimitOf(response).remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    for (const response of responses) {
      const { limit, reset } = rateLimitOf(response);
      expect(limit).toBe(5);
      expect(reset).toBeGreaterThanOrEqual(Math.floor(startedAt / 1000));
      expect(reset).toBeLessThanOrEqual(Math.ceil((Date.now() + 60_000) / 1000));
    }
    const tooMany = helixErrorSchema.parse(await responses[5]!.json());
    expect(tooMany).toMatchObject({ error: 'Too Many Requests', status: 429 });
    expect(sim.stats().rateLimited).toBe(1);
  });

  it('refills on the real clock, so a client that waits for the reset time gets through again', async () => {
    // prepare
    sim = await startHelixSimulator({ averageLiveChannels: 500, startTime: START, rateLimit: { points: 3, windowMs: 1_000 } });
    const token = await requestToken(sim);
    for (let call = 0; call < 3; call++) await helixGet(sim, token, '/streams?first=1');
    const refused = await helixGet(sim, token, '/streams?first=1');

    // act
    await new Promise((resolve) => setTimeout(resolve, rateLimitOf(refused).reset * 1000 - Date.now() + 20));
    const afterReset = await helixGet(sim, token, '/streams?first=1');

    // assess
    expect(refused.status).toBe(429);
    expect(afterReset.status).toBe(200);
    expect(rateLimitOf(afterReset).remaining).toBeGreaterThanOrEqual(1);
  });

  it('keeps the rate limit on real time while the population clock jumps', async () => {
    // prepare
    sim = await startHelixSimulator({ averageLiveChannels: 500, startTime: START, rateLimit: { points: 2, windowMs: 60_000 } });
    const token = await requestToken(sim);
    await helixGet(sim, token, '/streams?first=1');
    await helixGet(sim, token, '/streams?first=1');

    // act
    sim.clock.advance(3_600_000);
    const response = await helixGet(sim, token, '/streams?first=1');

    // assess
    expect(response.status).toBe(429);
  });

  it('puts the headers on /helix/games too', async () => {
    // prepare
    sim = await startHelixSimulator({ averageLiveChannels: 500, startTime: START, rateLimit: { points: 10, windowMs: 60_000 } });
    const token = await requestToken(sim);

    // act
    const response = await helixGet(sim, token, '/games?id=509658');

    // assess
    expect(rateLimitOf(response)).toMatchObject({ limit: 10, remaining: 9 });
  });
});
