import { realtimeItemSchema } from '@twitch-pipeline/schemas';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { summarizeSegment } from '../src/realtime/segment-summary';
import { realtimeItem } from './realtime-items';

const EXPIRY = 1_796_819_400;

/** A segment's text: one stored line per item, as the writer appends them. */
function segmentText(lines: readonly object[]): string {
  return lines.map((line, index) => `${JSON.stringify({ _versao: index + 1, ...line })}\n`).join('');
}

describe('summarizeSegment', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('checks a line against the schema only when it would raise the latest expiry, with the same summary', () => {
    // prepare: a snapshot's 2,000 items share one expiry; a later one is invalid (negative viewers), so it does not count
    const items = Array.from({ length: 2_000 }, (_, index) => realtimeItem(`channel_${index}`, '2026-12-07T12:00:00.000Z', { expira_em: EXPIRY }));
    const invalid = realtimeItem('broken', '2026-12-07T12:30:00.000Z', { expira_em: EXPIRY + 1800, espectadores: -1 });
    const checks = vi.spyOn(realtimeItemSchema, 'safeParse');
    // act
    const summary = summarizeSegment(segmentText([...items, invalid]));
    // assess
    expect(summary.latestExpiry).toBe(EXPIRY);
    expect(summary.newest).toBe(Date.parse('2026-12-07T12:30:00.000Z'));
    expect(summary.channels?.size).toBe(2_001);
    expect(checks.mock.calls.length).toBeLessThanOrEqual(2);
  });
});
