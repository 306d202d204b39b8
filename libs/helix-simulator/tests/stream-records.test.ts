import { describe, expect, it } from 'vitest';
import { Population } from '../src/population';
import { StreamRecords } from '../src/stream-records';

const MINUTE = Math.floor(Date.parse('2026-11-29T21:10:00Z') / 60_000);

describe('stream records kept per session', () => {
  it('give a broadcast the same fixed fields at every minute and the viewer count of that minute', () => {
    // prepare
    const pool = new Population(9, 2_000).pool;
    const session = pool.liveSessions(MINUTE)[0]!;
    const records = new StreamRecords(pool, 10);
    // act
    const first = records.recordOf(session, pool.viewersAt(session, MINUTE));
    const later = records.recordOf(session, pool.viewersAt(session, MINUTE + 30));
    const uncached = new StreamRecords(pool, 10).recordOf(session, pool.viewersAt(session, MINUTE + 30));
    // assess
    expect(first.viewer_count).toBe(pool.viewersAt(session, MINUTE));
    expect(later.viewer_count).toBe(pool.viewersAt(session, MINUTE + 30));
    expect(later).toEqual(uncached);
    expect({ ...first, viewer_count: 0 }).toEqual({ ...later, viewer_count: 0 });
  });

  it('never share a list between two records, so a served record changed in place leaves the next one intact', () => {
    // prepare
    const pool = new Population(9, 2_000).pool;
    const session = pool.liveSessions(MINUTE).find((candidate) => (new StreamRecords(pool, 1).recordOf(candidate, 1).tags ?? []).length > 0)!;
    const records = new StreamRecords(pool, 10);
    const first = records.recordOf(session, 1);
    const expectedTags = [...(first.tags ?? [])];
    // act
    first.tags?.push('changed');
    const second = records.recordOf(session, 2);
    // assess
    expect(second.tags).toEqual(expectedTags);
  });

  it('keep only the most recent sessions, and rebuild an evicted one the same', () => {
    // prepare
    const pool = new Population(9, 2_000).pool;
    const [a, b, c] = pool.liveSessions(MINUTE);
    const records = new StreamRecords(pool, 2);
    const before = records.recordOf(a!, 5);
    // act: b and c push a out of a cache of two
    records.recordOf(b!, 5);
    records.recordOf(c!, 5);
    const after = records.recordOf(a!, 5);
    // assess
    expect(after).toEqual(before);
  });
});
