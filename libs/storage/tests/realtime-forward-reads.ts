import { expect } from 'vitest';
import type { RealtimeTable } from '../src/index';
import { realtimeItem } from './realtime-items';

/**
 * The forward read both adapters must give (`after`): only items strictly after the instant,
 * oldest first, expired ones left out, and both bounds at once refused.
 *
 * @example
 * await expectForwardReads(new LocalRealtimeTable(directory), 'gaules');
 */
export async function expectForwardReads(table: RealtimeTable, channel: string): Promise<void> {
  // prepare: an expired item between the bound and the next live one, and a channel whose name extends this one
  await table.putItems([
    realtimeItem(channel, '2026-11-29T20:00:00.000Z'),
    realtimeItem(channel, '2026-11-29T20:30:00.000Z', { expira_em: Math.floor(Date.now() / 1000) - 1 }),
    realtimeItem(channel, '2026-11-29T21:00:00.000Z'),
    realtimeItem(channel, '2026-11-29T22:00:00.000Z'),
    realtimeItem(`${channel}x`, '2026-11-29T20:45:00.000Z'),
  ]);

  // act
  const next = await table.queryByStreamer(channel, { after: '2026-11-29T20:00:00.000Z', limit: 1 });
  const later = await table.queryByStreamer(channel, { after: '2026-11-29T20:00:00.000Z' });
  const none = await table.queryByStreamer(channel, { after: '2026-11-29T22:00:00.000Z' });
  const both = table.queryByStreamer(channel, { before: '2026-11-29T22:00:00.000Z', after: '2026-11-29T20:00:00.000Z' });

  // assess
  expect(next.map((item) => item.timestamp)).toEqual(['2026-11-29T21:00:00.000Z']);
  expect(later.map((item) => item.timestamp)).toEqual(['2026-11-29T21:00:00.000Z', '2026-11-29T22:00:00.000Z']);
  expect(none).toEqual([]);
  await expect(both).rejects.toThrow('either before or after');
}

/**
 * The read both adapters must give as of an earlier instant (`asOf`): an item expired by now but
 * alive then is returned, before and after a bound, and left out without `asOf`.
 *
 * @example
 * await expectReadsAsOf(new LocalRealtimeTable(directory), 'gaules');
 */
export async function expectReadsAsOf(table: RealtimeTable, channel: string): Promise<void> {
  // prepare: three samples of three days ago, each expired a day ago (48 h after its collection)
  const start = Date.now() - 72 * 3_600_000;
  const times = [0, 1, 2].map((step) => new Date(start + step * 1_800_000).toISOString());
  await table.putItems(times.map((time) => realtimeItem(channel, time, { expira_em: Math.floor(Date.parse(time) / 1000) + 48 * 3600 })));

  // act
  const previousNow = await table.queryByStreamer(channel, { before: times[1], limit: 1 });
  const previousThen = await table.queryByStreamer(channel, { before: times[1], limit: 1, asOf: times[1] });
  const nextThen = await table.queryByStreamer(channel, { after: times[1], limit: 1, asOf: times[1] });

  // assess
  expect(previousNow).toEqual([]);
  expect(previousThen.map((item) => item.timestamp)).toEqual([times[0]]);
  expect(nextThen.map((item) => item.timestamp)).toEqual([times[2]]);
}
