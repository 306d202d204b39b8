import { describe, expect, it } from 'vitest';
import { runGold, runSilver } from '../src/index';
import { bronzeRow, type LooseBronzeRow, readRows, useTestLake, writeBronzeSnapshot } from './support/transform-lake';

const TZ = 'America/Sao_Paulo';
const lake = useTestLake();

const row = (collected_at: string, interval: number, login: string, viewer_count: number, started_at: string): LooseBronzeRow =>
  bronzeRow({ collected_at, id: `${login}-1`, user_id: `u-${login}`, user_login: login, viewer_count, started_at, collection_interval_minutes: interval });

/**
 * A collector at 30 minutes stopped after 14:30 UTC, one at 10 minutes took over at 15:00, and
 * one at 30 minutes again at 15:30 (11:00 to 13:00 in São Paulo). By hand:
 *  cid  60 viewers throughout, started 13:00, last seen 16:00: 30 min of lead-in and 120 min of
 *       trapezoids, 150 min and 150 h, with no piece counted twice or left out at either change.
 *  dan  300 viewers, started 14:35 after the 14:30 snapshot, first seen at 15:00 in the first
 *       10-minute snapshot: his lead-in runs from his start, 25 min, although his own snapshot's
 *       interval is 10; 15:00–15:10 seen, then missed at 15:30: he ended in those 20 minutes, 10
 *       expected, the next snapshot's interval being 30. 45 min, 225 h.
 *  fay  200 viewers, started 15:05, seen at 15:10 only: 5 min of lead-in, 10 of tail, 15 min, 50 h.
 */
async function writeIntervalChanges(): Promise<void> {
  const cid = (at: string, interval: number) => row(at, interval, 'cid', 60, '2026-11-29T13:00:00Z');
  await writeBronzeSnapshot(lake.store, '2026-11-29T14:00:00Z', [cid('2026-11-29T14:00:00Z', 30)]);
  await writeBronzeSnapshot(lake.store, '2026-11-29T14:30:00Z', [cid('2026-11-29T14:30:00Z', 30)]);
  await writeBronzeSnapshot(lake.store, '2026-11-29T15:00:00Z', [cid('2026-11-29T15:00:00Z', 10), row('2026-11-29T15:00:00Z', 10, 'dan', 300, '2026-11-29T14:35:00Z')]);
  await writeBronzeSnapshot(lake.store, '2026-11-29T15:10:00Z', [
    cid('2026-11-29T15:10:00Z', 10),
    row('2026-11-29T15:10:00Z', 10, 'dan', 300, '2026-11-29T14:35:00Z'),
    row('2026-11-29T15:10:00Z', 10, 'fay', 200, '2026-11-29T15:05:00Z'),
  ]);
  await writeBronzeSnapshot(lake.store, '2026-11-29T15:30:00Z', [cid('2026-11-29T15:30:00Z', 30)]);
  await writeBronzeSnapshot(lake.store, '2026-11-29T16:00:00Z', [cid('2026-11-29T16:00:00Z', 30)]);
}

describe('the estimate of hours watched where the collection interval changes', () => {
  it('bounds a lead-in and a tail by the gap to the neighbouring snapshot of the longer interval', async () => {
    // prepare
    await writeIntervalChanges();
    const silver = await runSilver({ store: lake.store, timeZone: TZ });

    // act
    await runGold({ store: lake.store, dates: silver.dates });

    // assess
    const streamers = await readRows(lake.store, 'gold/streamers_diario/', 'nome_streamer');
    expect(streamers.map((r) => [r.nome_streamer, r.minutos_transmitidos, Math.round((r.horas_assistidas as number) * 1e6) / 1e6])).toEqual([
      ['cid', 150, 150],
      ['dan', 45, 225],
      ['fay', 15, 50],
    ]);
  });
});
