import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Exposure, type HelixSimulator, startHelixSimulator } from '../src/index';

const FROM = new Date('2026-03-10T20:00:30Z');
const TO = new Date('2026-03-12T02:10:15Z');

/** Integrates the true live list by hand: viewers hold for a whole minute, weighted by overlap. */
function integrateByHand(sim: HelixSimulator, languages: string[] = []) {
  const byStream: Record<string, Exposure> = {};
  const byCategory: Record<string, Exposure> = {};
  let watchHours = 0;
  let airtimeMinutes = 0;
  const firstMinute = Math.floor(FROM.getTime() / 60_000);
  for (let minute = firstMinute; minute * 60_000 < TO.getTime(); minute++) {
    const low = Math.max(minute * 60_000, FROM.getTime());
    const high = Math.min((minute + 1) * 60_000, TO.getTime());
    const weight = (high - low) / 60_000;
    for (const stream of sim.liveStreams(new Date(minute * 60_000))) {
      if (languages.length > 0 && !languages.includes(stream.language)) continue;
      const hours = (stream.viewer_count * weight) / 60;
      watchHours += hours;
      airtimeMinutes += weight;
      for (const [totals, key] of [
        [byStream, stream.id],
        [byCategory, stream.game_name],
      ] as const) {
        const entry = totals[key] ?? { watchHours: 0, airtimeMinutes: 0 };
        entry.watchHours += hours;
        entry.airtimeMinutes += weight;
        totals[key] = entry;
      }
    }
  }
  return { watchHours, airtimeMinutes, byStream, byCategory };
}

function expectClose(actual: Record<string, Exposure>, expected: Record<string, Exposure>): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [key, value] of Object.entries(expected)) {
    expect(actual[key]!.watchHours).toBeCloseTo(value.watchHours, 6);
    expect(actual[key]!.airtimeMinutes).toBeCloseTo(value.airtimeMinutes, 6);
  }
}

describe('ground truth', () => {
  let sim: HelixSimulator;

  beforeAll(async () => {
    sim = await startHelixSimulator({ seed: 4, averageLiveChannels: 25, startTime: FROM });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('equals the hand-computed integral of the live list over 30 hours that are not minute-aligned', () => {
    // prepare
    const expected = integrateByHand(sim);

    // act
    const truth = sim.groundTruth({ from: FROM, to: TO });

    // assess
    expect(expected.airtimeMinutes).toBeGreaterThan(60);
    expect(truth.watchHours).toBeCloseTo(expected.watchHours, 6);
    expect(truth.airtimeMinutes).toBeCloseTo(expected.airtimeMinutes, 6);
    expectClose(truth.byStream, expected.byStream);
    expectClose(truth.byCategory, expected.byCategory);
  });

  it('narrows to the languages asked for', () => {
    // prepare
    const expected = integrateByHand(sim, ['en', 'pt']);

    // act
    const truth = sim.groundTruth({ from: FROM, to: TO, languages: ['en', 'pt'] });

    // assess
    expect(truth.watchHours).toBeCloseTo(expected.watchHours, 6);
    expectClose(truth.byStream, expected.byStream);
  });

  it('is zero for an empty interval', () => {
    // act
    const truth = sim.groundTruth({ from: TO, to: TO });

    // assess
    expect(truth).toEqual({ watchHours: 0, airtimeMinutes: 0, byCategory: {}, byStream: {} });
  });
});
