import { describe, expect, it } from 'vitest';
import { startHelixSimulator } from '../src/index';

const SEED = 11;
const CHANNELS = 300;
// Two days of half-hour slots: channels go live again on the next day with a new session.
const TIMES = Array.from({ length: 96 }, (_, index) => new Date(Date.UTC(2026, 10, 28, 0, 15) + index * 30 * 60_000));

describe('stream records built from cached session fields', () => {
  it('equal the records a fresh simulator builds for the same time', async () => {
    // prepare
    const reused = await startHelixSimulator({ seed: SEED, averageLiveChannels: CHANNELS, startTime: TIMES[0]! });
    try {
      for (const at of TIMES) {
        // act
        const fromCache = reused.liveStreams(at);
        const fresh = await startHelixSimulator({ seed: SEED, averageLiveChannels: CHANNELS, startTime: at });
        const expected = fresh.liveStreams(at);
        await fresh.close();
        // assess
        expect(fromCache.length).toBeGreaterThan(0);
        expect(fromCache).toEqual(expected);
      }
    } finally {
      await reused.close();
    }
  });

  it('are not changed by a change to a record handed out earlier', async () => {
    // prepare
    const at = TIMES[40]!;
    const simulator = await startHelixSimulator({ seed: SEED, averageLiveChannels: CHANNELS, startTime: at });
    try {
      const first = simulator.liveStreams(at);
      const expected = structuredClone(first);
      // act
      for (const record of first) record.tags?.push('changed by a caller');
      const later = simulator.liveStreams(new Date(at.getTime() + 60_000));
      // assess
      const tagsById = new Map(expected.map((record) => [record.id, record.tags]));
      for (const record of later) if (tagsById.has(record.id)) expect(record.tags).toEqual(tagsById.get(record.id));
    } finally {
      await simulator.close();
    }
  });
});
