import { describe, expect, it } from 'vitest';
import { runGold, runSilver } from '../src/index';
import { useTestLake, readRows, writeBronzeSnapshot } from './support/transform-lake';
import { randomSnapshots } from './support/transform-random-lake';
import { referenceBroadcasts, referenceEstimatedGold } from './support/transform-estimate-reference';
import { type ReferenceGoldRow, referenceSilver } from './support/transform-reference';

const lake = useTestLake();

const GRAINS: Record<string, string[]> = {
  streams_diario: ['nome_streamer', 'nome_categoria', 'tipo_conteudo', 'periodo_dia', 'idioma'],
  streamers_diario: ['nome_streamer'],
  categorias_diario: ['nome_categoria', 'tipo_conteudo'],
  idiomas_periodo: ['idioma', 'tipo_conteudo', 'periodo_dia'],
  canais_hora: ['nome_streamer', 'hora_dia'],
};

const close = (actual: number, expected: number) => Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected));
const day = (value: unknown) => (value as Date).toISOString().slice(0, 10);

// Each case's snapshots and streams cross local midnight; the last two also cross 06:00, 12:00
// and 18:00, one over a hole of missing snapshots (indices from..to left out), whose streams are
// joined across it. Some cases estimate hours watched in one window per date, as gold does with
// few samples; the others in windows of one local hour (estimateWindowSamples 1), so that every
// hour is a window's edge, among them the days clocks go back (New York) and forward (Berlin).
const CASES: [number, string, string, number, number | undefined, [number, number]?][] = [
  [11, 'America/Sao_Paulo', '2026-11-29T23:00:00Z', 16, undefined],
  [23, 'America/New_York', '2026-10-31T23:30:00Z', 16, 1],
  [37, 'Europe/Berlin', '2026-03-28T19:00:00Z', 16, 1],
  [41, 'America/Sao_Paulo', '2026-02-14T22:30:00Z', 16, undefined],
  // A half-hour offset: local hours start at UTC half hours, so segments are cut at quarter hours.
  [53, 'Asia/Kolkata', '2026-06-01T16:00:00Z', 16, undefined],
  // A 45-minute offset: local hours start at UTC quarter hours that are not half hours.
  [101, 'Asia/Kathmandu', '2026-06-01T16:00:00Z', 16, 1],
  // A 30-minute clock change (+10:30 to +11 at 15:30 UTC): local hour 2 lasts half an hour.
  [109, 'Australia/Lord_Howe', '2026-10-03T11:00:00Z', 16, 1],
  // The same change with every snapshot after it: the first lead-in still begins at +10:30.
  [113, 'Australia/Lord_Howe', '2026-10-03T15:45:00Z', 44, undefined],
  [67, 'America/Sao_Paulo', '2026-11-29T07:00:00Z', 48, 1],
  [71, 'Asia/Kolkata', '2026-06-01T09:00:00Z', 40, 1, [6, 15]],
];

/**
 * Each case runs silver and gold over up to 48 snapshots through DuckDB (the one-hour windows of
 * the 40 and 48 snapshot cases the heaviest): 18-54 s a case on a shared 2-core machine already
 * busy, and 126 s for the 48 snapshots there under a heavier load, past the 60 s hang guard.
 */
const CASE_TIMEOUT_MS = 240_000;

describe('silver and gold against a plain TypeScript reference on random snapshots', () => {
  it.each(CASES)('seed %i in %s', async (seed, timeZone, firstCollection, count, estimateWindowSamples, hole) => {
    // prepare
    const snapshots = randomSnapshots(seed, firstCollection, count).filter((_, index) => !hole || index < hole[0] || index > hole[1]);
    for (const snapshot of snapshots) await writeBronzeSnapshot(lake.store, snapshot.collectedAt, snapshot.rows, timeZone);
    const expected = referenceSilver(snapshots, timeZone);

    // act
    const silverSummary = await runSilver({ store: lake.store, timeZone });
    const goldSummary = await runGold({ store: lake.store, dates: silverSummary.dates, estimateWindowSamples });

    // assess: counts reconcile and match the reference
    expect(silverSummary.failed).toEqual([]);
    expect(silverSummary.rowsIn).toBe(snapshots.reduce((sum, s) => sum + s.rows.length, 0));
    expect(silverSummary.rowsOut).toBe(expected.silver.length);
    expect(silverSummary.quarantined).toBe(expected.reasons.length);
    const reasons = await readRows<{ reason: string }>(lake.store, 'quarantine/', 'reason');
    expect(reasons.map((row) => row.reason)).toEqual(expected.reasons);

    // assess: every silver row
    const silver = await readRows<Record<string, unknown>>(lake.store, 'silver/', 'id_snapshot, id_stream');
    const reference = [...expected.silver].sort((a, b) => (`${a.id_snapshot}/${a.id_stream}` < `${b.id_snapshot}/${b.id_stream}` ? -1 : 1));
    expect(silver).toHaveLength(reference.length);
    silver.forEach((row, index) => {
      const want = reference[index]!;
      for (const [column, value] of Object.entries(want)) {
        const got = column === 'data' ? day(row.data) : row[column] instanceof Date ? (row[column] as Date).toISOString() : row[column];
        if (typeof value === 'number') expect(close(got as number, value), `${column} of ${want.id_snapshot}/${want.id_stream}: ${got} vs ${value}`).toBe(true);
        else expect(got, column).toEqual(value);
      }
    });

    // assess: every gold table, row by row, against the estimator written over the whole lake
    // (gold reads a date's snapshots and its two neighbours only)
    expect(Object.keys(goldSummary.tables)).toEqual(expect.arrayContaining(Object.keys(GRAINS)));
    for (const [table, grain] of Object.entries(GRAINS)) {
      const wanted: ReferenceGoldRow[] = referenceEstimatedGold(expected.silver, timeZone, grain);
      const rows = await readRows<Record<string, unknown>>(lake.store, `gold/${table}/`, ['data', ...grain].join(', '));
      const got = rows
        .map((row) => ({ key: [day(row.data), ...grain.map((column) => String(row[column]))], row }))
        .sort((a, b) => (a.key.join('\u0000') < b.key.join('\u0000') ? -1 : 1));
      expect(got.map((entry) => entry.key), table).toEqual(wanted.map((entry) => entry.key));
      got.forEach(({ row }, index) => {
        const want = wanted[index]!;
        for (const measure of ['total_streams', 'minutos_transmitidos', 'horas_assistidas', 'media_espectadores', 'pico_espectadores', 'amostras'] as const) {
          expect(close(row[measure] as number, want[measure]), `${table} ${want.key.join('/')} ${measure}: ${row[measure]} vs ${want[measure]}`).toBe(true);
        }
      });
    }
    const broadcasts = referenceBroadcasts(expected.silver);
    const streamers = await readRows<Record<string, unknown>>(lake.store, 'gold/streamers_diario/', 'data, nome_streamer');
    for (const row of streamers) {
      const key = `${day(row.data)}/${String(row.nome_streamer)}`;
      const want = broadcasts.get(key) ?? { transmissoes_amostradas: 0, transmissoes_continuadas: 0 };
      expect({ transmissoes_amostradas: row.transmissoes_amostradas, transmissoes_continuadas: row.transmissoes_continuadas }, key).toEqual(want);
    }
    expect(streamers.some((row) => Number(row.transmissoes_continuadas) > 0)).toBe(true);
    expect(silverSummary.dates.length).toBeGreaterThan(1);
  }, CASE_TIMEOUT_MS);
});
