import { type HelixSimulator, startHelixSimulator } from '@twitch-pipeline/helix-simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { HelixClient } from '../src/index';

// An evening in Sao Paulo: pt, en and es channels are all well represented.
const startTime = new Date('2026-11-29T23:00:00Z');
const LANGUAGES = ['pt', 'en', 'es'];
const quickRetries = { backoffBaseMs: 5, backoffMaxMs: 50 };

const simulators: HelixSimulator[] = [];

afterEach(async () => {
  await Promise.all(simulators.splice(0).map((sim) => sim.close()));
});

async function simulator(): Promise<HelixSimulator> {
  const sim = await startHelixSimulator({ seed: 3, averageLiveChannels: 2_000, startTime });
  simulators.push(sim);
  return sim;
}

function clientOf(sim: HelixSimulator, inProcess: boolean): HelixClient {
  return new HelixClient({
    apiUrl: sim.apiUrl,
    authUrl: sim.authUrl,
    ...sim.credentials,
    retry: quickRetries,
    ...(inProcess ? { fetch: sim.fetch } : {}),
  });
}

describe('HelixClient on the simulator in process', () => {
  it('collects the same records as over HTTP', async () => {
    // prepare: two simulators with the same seed and time
    const [overHttp, inProcess] = [await simulator(), await simulator()];

    // act
    const [viaHttp, viaFetch] = [
      await clientOf(overHttp, false).crawlStreams({ languages: LANGUAGES }),
      await clientOf(inProcess, true).crawlStreams({ languages: LANGUAGES }),
    ];

    // assess
    expect(viaFetch.records.length).toBeGreaterThan(500);
    expect(viaFetch.records).toEqual(viaHttp.records);
    expect(viaFetch.pages).toBe(viaHttp.pages);
    expect(overHttp.stats().requests).toBe(viaHttp.requests + 1);
    expect(inProcess.stats().requests).toBe(viaFetch.requests + 1);
  });

  it('retries dropped connections, 5xx and 429s and loses no record', async () => {
    // prepare
    const sim = await simulator();
    const expected = sim.liveStreams().filter((stream) => LANGUAGES.includes(stream.language)).map((stream) => stream.id);
    sim.setFaults({ connectionResetRate: 0.05, serverErrorRate: 0.05, rateLimitRate: 0.05 });

    // act
    const result = await clientOf(sim, true).crawlStreams({ languages: LANGUAGES });

    // assess
    expect(result.retries).toBeGreaterThan(0);
    expect(result.records.map(({ record }) => (record as { id: string }).id).sort()).toEqual(expected.sort());
  });
});
