import { goldKey } from '@twitch-pipeline/schemas';
import { describe, expect, it } from 'vitest';
import { runGold, runSilver } from '../src/index';
import { bronzeRow, useTestLake, readRows, writeBronzeSnapshot } from './support/transform-lake';

const TZ = 'America/Sao_Paulo';
const MINUTE = 60_000;
const lake = useTestLake();

/** Snapshots every `interval` minutes from 12:00 local (15:00 UTC) on 2026-11-29. */
function slot(index: number, interval: number): string {
  return new Date(Date.parse('2026-11-29T15:00:00Z') + index * interval * MINUTE).toISOString().replace('.000Z', 'Z');
}

describe("silver's per-sample hours watched", () => {
  it.each([15, 30, 60])("tile each broadcast's airtime: a day's silver rows sum to gold's estimate at %i-minute sampling", async (interval) => {
    // prepare: three broadcasts on schedule: a long one, one starting between snapshots with a
    // rising audience, one seen in a single snapshot (a cell covers its lead-in and the expected tail)
    const broadcasts = [
      { id: 'a', login: 'alpha', startedAt: '2026-11-29T14:50:00Z', from: 0, to: 6, viewers: (i: number) => 1_000 + 250 * i },
      { id: 'b', login: 'beta', startedAt: new Date(Date.parse(slot(2, interval)) - (interval / 3) * MINUTE).toISOString(), from: 2, to: 5, viewers: (i: number) => 40 * (i + 1) ** 2 },
      { id: 'c', login: 'gama', startedAt: new Date(Date.parse(slot(4, interval)) - 2 * MINUTE).toISOString(), from: 4, to: 4, viewers: () => 77 },
    ];
    // a fourth broadcast, live in every snapshot, keeps the last one non-empty; it is still live
    // at the newest snapshot, whose open tail gold settles only when the next snapshot lands
    const stillLive = { id: 'd', login: 'delta', startedAt: '2026-11-29T14:55:00Z', from: 0, to: 7, viewers: () => 10 };
    for (let index = 0; index <= 7; index += 1) {
      const at = slot(index, interval);
      const rows = [...broadcasts, stillLive]
        .filter((b) => index >= b.from && index <= b.to)
        .map((b) => bronzeRow({ collected_at: at, id: b.id, user_login: b.login, started_at: b.startedAt, viewer_count: b.viewers(index), collection_interval_minutes: interval }));
      await writeBronzeSnapshot(lake.store, at, rows);
    }

    // act
    const silver = await runSilver({ store: lake.store, timeZone: TZ });
    await runGold({ store: lake.store, dates: silver.dates });

    // assess
    const samples = await readRows<{ id_stream: string; horas_assistidas: number; intervalo_minutos: number }>(lake.store, 'silver/', 'id_stream');
    const gold = await readRows<{ nome_streamer: string; horas_assistidas: number }>(lake.store, goldKey('streamers_diario', '2026-11-29'), 'nome_streamer');
    for (const broadcast of broadcasts) {
      const own = samples.filter((row) => row.id_stream === broadcast.id);
      const silverHours = own.reduce((sum, row) => sum + row.horas_assistidas, 0);
      const goldHours = gold.filter((row) => row.nome_streamer === broadcast.login).reduce((sum, row) => sum + row.horas_assistidas, 0);
      expect(goldHours).toBeGreaterThan(0);
      expect(silverHours).toBeCloseTo(goldHours, 9);
      const firstSampleMinutes = Math.min(interval, (Date.parse(slot(broadcast.from, interval)) - Date.parse(broadcast.startedAt)) / MINUTE);
      const airtime = own.reduce((sum, row) => sum + row.intervalo_minutos, 0);
      expect(airtime).toBeCloseTo(firstSampleMinutes + (broadcast.to - broadcast.from) * interval + interval / 2, 9);
    }
  });
});
