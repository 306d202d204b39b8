import { afterEach, describe, expect, it } from 'vitest';
import { type HelixSimulator, startHelixSimulator } from '../src/index';
import { crawl, helixGet, requestToken, type StreamsPage } from './simulator-client';

const START = new Date('2026-03-11T01:30:00Z');

describe('streams pagination', () => {
  let sim: HelixSimulator;

  afterEach(async () => {
    await sim.close();
  });

  it('covers the live list exactly once, in order, when nothing drifts', async () => {
    // prepare
    sim = await startHelixSimulator({ seed: 5, averageLiveChannels: 2_000, startTime: START });
    const token = await requestToken(sim);

    // act
    const pages = await crawl(sim, token, 'first=100');

    // assess
    const crawled = pages.flatMap((page) => page.data.map((record) => record.id));
    expect(crawled).toEqual(sim.liveStreams().map((stream) => stream.id));
    expect(new Set(crawled).size).toBe(crawled.length);
  });

  it('gives the last page a cursor that leads to an empty page without a cursor', async () => {
    // prepare
    sim = await startHelixSimulator({ seed: 5, averageLiveChannels: 2_000, startTime: START });
    const token = await requestToken(sim);

    // act
    const pages = await crawl(sim, token, 'first=100&language=en');

    // assess
    const last = pages.at(-1)!;
    const lastFull = pages.at(-2)!;
    expect(last).toEqual({ data: [], pagination: {} });
    expect(lastFull.data.length).toBeGreaterThan(0);
    expect(lastFull.pagination.cursor).toBeDefined();
  });

  it('pages backwards with before', async () => {
    // prepare
    sim = await startHelixSimulator({ seed: 5, averageLiveChannels: 2_000, startTime: START });
    const token = await requestToken(sim);
    const [first, second, third] = await crawl(sim, token, 'first=50', 3);

    // act
    const fromThird = await helixGet(sim, token, `/streams?first=50&before=${third!.pagination.cursor}`);
    const fromSecond = await helixGet(sim, token, `/streams?first=50&before=${second!.pagination.cursor}`);

    // assess
    const ids = (page: StreamsPage) => page.data.map((record) => record.id);
    expect(ids((await fromThird.json()) as StreamsPage)).toEqual(ids(second!));
    expect(ids((await fromSecond.json()) as StreamsPage)).toEqual(ids(first!));
  });

  it('with list drift, repeats records at page boundaries but never skips a stream live at the first page', async () => {
    // prepare
    sim = await startHelixSimulator({ seed: 5, averageLiveChannels: 2_000, startTime: START, faults: { listDrift: 3 } });
    const token = await requestToken(sim);
    const liveAtStart = sim.liveStreams().map((stream) => stream.id);

    // act
    const pages = await crawl(sim, token, 'first=100');

    // assess
    const crawled = pages.flatMap((page) => page.data.map((record) => record.id as string));
    const distinct = new Set(crawled);
    expect(liveAtStart.every((id) => distinct.has(id))).toBe(true);
    const secondPage = pages[1]!.data.map((record) => record.id);
    expect(secondPage.slice(0, 3)).toEqual(pages[0]!.data.slice(-3).map((record) => record.id));
    const fullPagesAfterTheFirst = pages.slice(1).filter((page) => page.data.length === 100).length;
    expect(crawled.length - distinct.size).toBeGreaterThanOrEqual(3 * fullPagesAfterTheFirst);
  });

  it('with cursorLoop, leads from the last page back to the first', async () => {
    // prepare
    sim = await startHelixSimulator({ seed: 5, averageLiveChannels: 2_000, startTime: START, faults: { cursorLoop: true } });
    const token = await requestToken(sim);
    const pageCount = Math.ceil(sim.liveStreams().length / 100);

    // act
    const pages = await crawl(sim, token, 'first=100', pageCount + 1);

    // assess
    expect(pages).toHaveLength(pageCount + 1);
    expect(pages[pageCount]!.data).toEqual(pages[0]!.data);
  });

  it('with invalidCursorRate 1, answers every cursor with 400 invalid cursor', async () => {
    // prepare
    sim = await startHelixSimulator({ seed: 5, averageLiveChannels: 2_000, startTime: START });
    const token = await requestToken(sim);
    const [first] = await crawl(sim, token, 'first=100', 1);
    sim.setFaults({ invalidCursorRate: 1 });

    // act
    const response = await helixGet(sim, token, `/streams?first=100&after=${first!.pagination.cursor}`);
    const fresh = await helixGet(sim, token, '/streams?first=100');

    // assess
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'Bad Request', status: 400, message: 'invalid cursor' });
    expect(fresh.status).toBe(200);
  });

  it('keeps a crawl consistent while the virtual clock stands still and moves the list when it advances', async () => {
    // prepare
    sim = await startHelixSimulator({ seed: 5, averageLiveChannels: 2_000, startTime: START });
    const before = sim.liveStreams();

    // act
    sim.clock.advance(45 * 60_000);
    const after = sim.liveStreams();

    // assess
    expect(sim.liveStreams(START)).toEqual(before);
    const afterIds = new Set(after.map((stream) => stream.id));
    expect(before.some((stream) => !afterIds.has(stream.id))).toBe(true);
    const kept = before.filter((stream) => afterIds.has(stream.id));
    expect(kept.length).toBeGreaterThan(before.length / 2);
    const afterById = new Map(after.map((stream) => [stream.id, stream]));
    expect(kept.every((stream) => afterById.get(stream.id)!.started_at === stream.started_at)).toBe(true);
  });
});
