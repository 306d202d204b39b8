import { describe, expect, it } from 'vitest';
import { runGold, runSilver } from '../src/index';
import { bronzeRow, readRows, useTestLake, writeBronzeSnapshot } from './support/transform-lake';

const lake = useTestLake();

describe('gold over more dates than one engine builds', () => {
  it('builds every date the same on the fresh engine that takes over after 32 dates', async () => {
    // prepare: 34 days, one snapshot at noon UTC each, one channel whose audience is its day's number
    const days = Array.from({ length: 34 }, (_, index) => new Date(Date.UTC(2026, 9, 1 + index)).toISOString().slice(0, 10));
    for (const [index, day] of days.entries()) {
      const at = `${day}T12:00:00Z`;
      await writeBronzeSnapshot(lake.store, at, [bronzeRow({ collected_at: at, id: `s${index}`, user_id: 'u-ana', user_login: 'ana', viewer_count: index + 1, started_at: `${day}T11:50:00Z` })]);
    }
    const silver = await runSilver({ store: lake.store, timeZone: 'UTC' });

    // act
    const gold = await runGold({ store: lake.store, dates: silver.dates });

    // assess: each day its own peak, the days after the 32nd included
    expect(gold.failed).toEqual([]);
    const daily = await readRows<{ data: Date; pico_espectadores: number }>(lake.store, 'gold/streamers_diario/', 'data');
    expect(daily.map((row) => [row.data.toISOString().slice(0, 10), row.pico_espectadores])).toEqual(days.map((day, index) => [day, index + 1]));
    // A hang guard, not a speed check: 34 dates of silver and gold took 14 s alone and passed 60 s
    // on a machine busy with other work.
  }, 180_000);
});
