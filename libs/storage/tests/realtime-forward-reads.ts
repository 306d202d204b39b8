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
