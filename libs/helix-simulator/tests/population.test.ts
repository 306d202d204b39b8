import { helixStreamSchema } from '@twitch-pipeline/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES, type HelixSimulator, startHelixSimulator } from '../src/index';
import { helixGet, requestToken } from './simulator-client';

const DAY = new Date('2026-03-10T00:00:00Z');
const hoursAfter = (hours: number) => new Date(DAY.getTime() + hours * 3_600_000);

describe('population at mid scale (20,000 live channels on average)', () => {
  let sim: HelixSimulator;
  /** The live list every two hours across one day. */
  let samples: ReturnType<HelixSimulator['liveStreams']>[];

  beforeAll(async () => {
    sim = await startHelixSimulator({ seed: 21, averageLiveChannels: 20_000, startTime: DAY });
    samples = Array.from({ length: 12 }, (_, index) => sim.liveStreams(hoursAfter(2 * index + 1)));
  });
  afterAll(async () => {
    await sim.close();
  });

  it('keeps the daily mean of live channels near averageLiveChannels, with a daily rhythm', () => {
    // act
    const counts = samples.map((live) => live.length);
    const mean = counts.reduce((sum, count) => sum + count, 0) / counts.length;

    // assess
    expect(mean).toBeGreaterThan(18_000);
    expect(mean).toBeLessThan(22_000);
    expect(Math.max(...counts) / Math.min(...counts)).toBeGreaterThan(1.2);
  });

  it('mixes languages as the platform does: en 40 %, es 10 %, pt 8 %', () => {
    // act
    const counts = new Map<string, number>();
    for (const stream of samples.flat()) counts.set(stream.language, (counts.get(stream.language) ?? 0) + 1);
    const total = samples.flat().length;
    const share = (language: string) => (counts.get(language) ?? 0) / total;

    // assess
    expect(share('en')).toBeGreaterThan(0.35);
    expect(share('en')).toBeLessThan(0.45);
    expect(share('es')).toBeGreaterThan(0.07);
    expect(share('es')).toBeLessThan(0.13);
    expect(share('pt')).toBeGreaterThan(0.05);
    expect(share('pt')).toBeLessThan(0.11);
    expect(counts.size).toBe(13);
  });

  it('peaks each language in its own evening', () => {
    // act
    const portuguese = (live: typeof samples[number]) => live.filter((stream) => stream.language === 'pt').length;
    const japanese = (live: typeof samples[number]) => live.filter((stream) => stream.language === 'ja').length;
    // 23:00 UTC is 20:00 in São Paulo and 08:00 in Tokyo; 11:00 UTC is 08:00 and 20:00.
    const saoPauloEvening = sim.liveStreams(hoursAfter(23));
    const tokyoEvening = sim.liveStreams(hoursAfter(11));

    // assess
    expect(portuguese(saoPauloEvening)).toBeGreaterThan(1.3 * portuguese(tokyoEvening));
    expect(japanese(tokyoEvening)).toBeGreaterThan(1.3 * japanese(saoPauloEvening));
  });

  it('has heavy-tailed audiences: a median of a few viewers and a top decile holding most of them', () => {
    // act
    const viewers = samples[10]!.map((stream) => stream.viewer_count);
    const total = viewers.reduce((sum, count) => sum + count, 0);
    const topDecile = viewers.slice(0, Math.round(viewers.length / 10)).reduce((sum, count) => sum + count, 0);

    // assess
    expect(viewers[Math.floor(viewers.length / 2)]).toBeLessThan(10);
    expect(viewers[0]).toBeGreaterThan(5_000);
    expect(topDecile / total).toBeGreaterThan(0.6);
  });

  it('serves valid, realistic records: unique lower-case logins, real categories, unicode titles', () => {
    // act
    const live = samples[0]!;
    const logins = live.map((stream) => stream.user_login);
    const categoryIds = new Set(CATEGORIES.map((category) => category.id));
    const byCategory = new Map<string, number>();
    for (const stream of live) byCategory.set(stream.game_name, (byCategory.get(stream.game_name) ?? 0) + 1);

    // assess
    for (const stream of live) helixStreamSchema.parse(stream);
    expect(new Set(logins).size).toBe(logins.length);
    expect(logins.every((login) => login === login.toLowerCase())).toBe(true);
    expect(live.every((stream) => stream.game_id === '' || categoryIds.has(stream.game_id))).toBe(true);
    expect(live.some((stream) => stream.game_id === '' && stream.game_name === '')).toBe(true);
    expect([...byCategory].sort((a, b) => b[1] - a[1])[0]![0]).toBe('Just Chatting');
    expect(live.some((stream) => /\p{Extended_Pictographic}/u.test(stream.title))).toBe(true);
    expect(live.some((stream) => /[\u3040-\u30ff\uac00-\ud7af\u0400-\u04ff]/u.test(stream.title))).toBe(true);
    expect(live.some((stream) => stream.is_mature)).toBe(true);
    expect(live.some((stream) => (stream.tags ?? []).length > 1)).toBe(true);
  });

  it('keeps a stream id for the whole session and gives the next session a new one', () => {
    // prepare
    const tonight = sim.liveStreams(hoursAfter(1));
    const laterTonight = new Map(sim.liveStreams(hoursAfter(1.5)).map((stream) => [stream.user_login, stream]));
    const tomorrow = new Map(sim.liveStreams(hoursAfter(25)).map((stream) => [stream.user_login, stream]));

    // act
    const continuing = tonight.filter((stream) => laterTonight.get(stream.user_login)?.started_at === stream.started_at);
    const returning = tonight.filter((stream) => tomorrow.has(stream.user_login));

    // assess
    expect(continuing.length).toBeGreaterThan(tonight.length / 2);
    expect(continuing.every((stream) => laterTonight.get(stream.user_login)!.id === stream.id)).toBe(true);
    expect(continuing.some((stream) => laterTonight.get(stream.user_login)!.viewer_count !== stream.viewer_count)).toBe(true);
    expect(returning.length).toBeGreaterThan(0);
    expect(returning.every((stream) => tomorrow.get(stream.user_login)!.id !== stream.id)).toBe(true);
  });
});

describe('determinism', () => {
  it('serves byte-identical pages for the same seed and time, and different ones for another seed', async () => {
    // prepare
    const options = { averageLiveChannels: 3_000, startTime: DAY, faults: { malformedRate: 0.05, extraFieldRate: 0.05 } };
    const sims = await Promise.all([1, 1, 2].map((seed) => startHelixSimulator({ ...options, seed })));

    // act
    const bodies = await Promise.all(
      sims.map(async (sim) => (await helixGet(sim, await requestToken(sim), '/streams?first=100&language=en')).text()),
    );
    await Promise.all(sims.map((sim) => sim.close()));

    // assess
    expect(bodies[0]).toBe(bodies[1]);
    expect(bodies[2]).not.toBe(bodies[0]);
    expect(sims[0]!.credentials).toEqual(sims[1]!.credentials);
  });
});
