import { describe, expect, it } from 'vitest';
import { runGold, runSilver } from '../src/index';
import { bronzeRow, useTestLake, type LooseBronzeRow, readRows, writeBronzeSnapshot } from './support/transform-lake';

const TZ = 'America/Sao_Paulo';
const lake = useTestLake();

const row = (collected_at: string, login: string, id: string, viewer_count: number, started_at: string): LooseBronzeRow =>
  bronzeRow({ collected_at, id, user_id: `u-${login}`, user_login: login, viewer_count, started_at });

/**
 * Gold estimates hours watched one window of local hours at a time (int_janelas_horas); these
 * snapshots (São Paulo, UTC-3, a 30-minute schedule run irregularly) put pieces at the edges of
 * windows of six hours (a full-platform day's) that only the right snapshots give. Hours per
 * local hour, computed by hand:
 *  cid  10 viewers in every snapshot from 05:30 to 14:30 local (started 05:00): 10 h an hour,
 *       5 h in 14:00–14:30, nothing after the newest snapshot.
 *  bia  started 05:55, missed by the 06:05 crawl, 600 at 06:20, gone by 11:30: her lead-in
 *       05:55–06:20 at 600 starts in the window before the one of the sample (50 h in hour 5,
 *       200 h in hour 6), then a tail of half an interval, 150 h.
 *  ana  started 11:30, 100 at 11:30, 400 at 14:00 after a hole of missing snapshots, gone at
 *       14:30: her trapezoid crosses 12:00, where a window ends, into the window after (65, 220,
 *       340 h), then a tail, 100 h.
 */
async function writeWindowEdges(): Promise<void> {
  const cid = (at: string) => row(at, 'cid', 'c1', 10, '2026-11-29T08:00:00Z');
  await writeBronzeSnapshot(lake.store, '2026-11-29T08:30:00Z', [cid('2026-11-29T08:30:00Z')]);
  await writeBronzeSnapshot(lake.store, '2026-11-29T09:05:00Z', [cid('2026-11-29T09:05:00Z')]);
  await writeBronzeSnapshot(lake.store, '2026-11-29T09:20:00Z', [cid('2026-11-29T09:20:00Z'), row('2026-11-29T09:20:00Z', 'bia', 'b1', 600, '2026-11-29T08:55:00Z')]);
  await writeBronzeSnapshot(lake.store, '2026-11-29T14:30:00Z', [cid('2026-11-29T14:30:00Z'), row('2026-11-29T14:30:00Z', 'ana', 'a1', 100, '2026-11-29T14:30:00Z')]);
  await writeBronzeSnapshot(lake.store, '2026-11-29T17:00:00Z', [cid('2026-11-29T17:00:00Z'), row('2026-11-29T17:00:00Z', 'ana', 'a1', 400, '2026-11-29T14:30:00Z')]);
  await writeBronzeSnapshot(lake.store, '2026-11-29T17:30:00Z', [cid('2026-11-29T17:30:00Z')]);
}

// The day's 9 samples: about 2.5 samples a window makes four windows of six hours, 1 a window
// of each hour.
const WINDOWS: [string, number | undefined][] = [
  ['one window', undefined],
  ['four windows of six hours', 2.5],
  ['a window per hour', 1],
];

describe('the estimate of hours watched, window by window', () => {
  it.each(WINDOWS)('gives each local hour the pieces of the snapshots around its window: %s', async (_, estimateWindowSamples) => {
    // prepare
    await writeWindowEdges();
    const silver = await runSilver({ store: lake.store, timeZone: TZ });

    // act
    await runGold({ store: lake.store, dates: silver.dates, estimateWindowSamples });

    // assess
    expect(silver.dates).toEqual(['2026-11-29']);
    const hours = await readRows(lake.store, 'gold/canais_hora/', 'nome_streamer, hora_dia');
    expect(hours.map((r) => [r.nome_streamer, r.hora_dia, r.minutos_transmitidos, Math.round((r.horas_assistidas as number) * 1e6) / 1e6])).toEqual([
      ['ana', 11, 30, 65],
      ['ana', 12, 60, 220],
      ['ana', 13, 60, 340],
      ['ana', 14, 15, 100],
      ['bia', 5, 5, 50],
      ['bia', 6, 35, 350],
      ['cid', 5, 60, 10],
      ...[6, 7, 8, 9, 10, 11, 12, 13].map((hour) => ['cid', hour, 60, 10]),
      ['cid', 14, 30, 5],
    ]);
    // Best hours keep the hours with a snapshot (local 05:30; 06:05, 06:20; 11:30; 14:00, 14:30),
    // their channels and viewers averaged over the hour's snapshots, with the estimate's hours.
    const bestHours = await readRows(lake.store, 'gold/melhores_horarios/', 'hora_dia');
    expect(bestHours.map((r) => [r.hora_dia, r.amostras, r.canais_ao_vivo, r.espectadores_medios, Math.round((r.horas_assistidas as number) * 1e6) / 1e6])).toEqual([
      [5, 1, 1, 10, 60],
      [6, 2, 1.5, 310, 360],
      [11, 1, 2, 110, 75],
      [14, 2, 1.5, 210, 105],
    ]);
    const streamers = await readRows(lake.store, 'gold/streamers_diario/', 'nome_streamer');
    expect(streamers.map((r) => [r.nome_streamer, r.minutos_transmitidos, Math.round((r.horas_assistidas as number) * 1e6) / 1e6])).toEqual([
      ['ana', 165, 725],
      ['bia', 40, 400],
      ['cid', 570, 95],
    ]);
  });

  it('refuses a window size that is not a positive number, before reading the lake', async () => {
    // prepare
    await writeWindowEdges();

    // act
    const runs = [0, -5, Number.NaN].map((estimateWindowSamples) => runGold({ store: lake.store, dates: ['2026-11-29'], estimateWindowSamples }));

    // assess
    for (const run of runs) await expect(run).rejects.toThrow(/invalid estimateWindowSamples \(expected a positive number\)/);
    expect(await lake.store.list('gold/')).toEqual([]);
  });
});
