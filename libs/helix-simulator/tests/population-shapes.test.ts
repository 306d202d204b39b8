import { describe, expect, it } from 'vitest';
import { audienceFactor, broadcastMinutes } from '../src/audience-shapes';
import { POPULATION_SHAPES, startHelixSimulator } from '../src/index';

const SESSION = { seed: 3, channel: 17, day: 20_522, start: 1_000_000, end: 1_000_300 };
const DRAWS = Array.from({ length: 50 }, (_, index) => [(index * 37) % 50, (index * 11) % 50].map((value) => value / 50) as [number, number]);

describe('population shapes', () => {
  it('draws broadcast lengths per shape: 10–12 h, under 30 min, or the default mix of 30 min to 12 h', () => {
    // act
    const lengths = (shape: (typeof POPULATION_SHAPES)[number]) => DRAWS.map(([kind, u]) => broadcastMinutes(shape, kind, u));

    // assess
    expect(Math.min(...lengths('long-broadcasts'))).toBeGreaterThanOrEqual(600);
    expect(Math.max(...lengths('long-broadcasts'))).toBeLessThanOrEqual(720);
    expect(Math.max(...lengths('short-broadcasts'))).toBeLessThan(30);
    expect(Math.min(...lengths('default'))).toBeGreaterThanOrEqual(30);
    expect(Math.max(...lengths('default'))).toBeGreaterThan(360);
  });

  it('bends the audience: slow arrival, early departure, raids and drops', () => {
    // prepare
    const factor = (shape: (typeof POPULATION_SHAPES)[number]) => audienceFactor(shape, SESSION);
    const minutes = Array.from({ length: SESSION.end - SESSION.start }, (_, index) => SESSION.start + index);

    // act
    const spiky = minutes.map(factor('spiky'));
    const plain = minutes.map(factor('default'));

    // assess
    expect(factor('default')(SESSION.start + 30)).toBe(1);
    expect(factor('slow-ramp')(SESSION.start + 30)).toBeLessThan(0.7);
    expect(factor('early-leavers')(SESSION.end - 1)).toBeLessThan(0.1);
    expect(factor('early-leavers')(SESSION.end - 100)).toBe(1);
    expect(spiky.some((value, index) => Math.abs(value - plain[index]!) > 0.3)).toBe(true);
  });

  it('serves every shape, and its ground truth integrates the same curves as the live list', async () => {
    for (const populationShape of POPULATION_SHAPES) {
      // prepare
      const from = new Date('2026-03-10T20:00:00Z');
      const sim = await startHelixSimulator({ seed: 5, averageLiveChannels: 30, populationShape, startTime: from });
      try {
        let byHand = 0;
        for (let minute = 0; minute < 180; minute++) {
          for (const stream of sim.liveStreams(new Date(from.getTime() + minute * 60_000))) byHand += stream.viewer_count / 60;
        }

        // act
        const truth = sim.groundTruth({ from, to: new Date(from.getTime() + 180 * 60_000) });

        // assess
        expect(truth.watchHours, populationShape).toBeCloseTo(byHand, 6);
        expect(truth.watchHours, populationShape).toBeGreaterThan(0);
      } finally {
        await sim.close();
      }
    }
  });

  it('rejects an unknown shape', async () => {
    // act / assess
    await expect(startHelixSimulator({ populationShape: 'flat' as never })).rejects.toThrow(/populationShape must be one of/);
  });
});
