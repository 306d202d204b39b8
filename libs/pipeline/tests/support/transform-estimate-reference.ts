import { intlDayPeriod, intlLocalDate, intlLocalHour } from '@twitch-pipeline/features';
import type { ReferenceGoldRow, ReferenceSilverRow } from './transform-reference';

/** One piece of estimated airtime (or one sample) at the finest grain, in its local hour. */
interface EstimatePiece {
  data: string;
  hora_dia: number;
  periodo_dia: string;
  nome_streamer: string;
  nome_categoria: string;
  tipo_conteudo: string;
  idioma: string;
  id_stream: string;
  minutes: number;
  hours: number;
  peak: number;
  sample: number;
}

interface Segment {
  owner: ReferenceSilverRow;
  from: number;
  to: number;
  viewersFrom: number;
  viewersTo: number;
}

const MINUTE = 60_000;

/**
 * The hours-watched estimator, written independently of the SQL model over the whole lake:
 * lead-in from the start at the first sample's level (at most one interval, or the previous
 * snapshot's when longer, within the gap to it), trapezoids between a stream's samples in
 * consecutive snapshots, half the gap (at most one interval, or the next snapshot's when longer)
 * at the last level when the next snapshot misses the stream, nothing after the
 * newest snapshot. Segments are cut at every UTC minute and each minute piece goes to the
 * local date and hour of its start.
 */
export function referenceEstimate(silver: readonly ReferenceSilverRow[], timeZone: string): EstimatePiece[] {
  const instants = [...new Set(silver.map((row) => Date.parse(row.coletado_em)))].sort((a, b) => a - b);
  const previousInstant = new Map(instants.map((instant, index) => [instant, instants[index - 1]]));
  const nextInstant = new Map(instants.map((instant, index) => [instant, instants[index + 1]]));
  const intervalAt = new Map(silver.map((row) => [Date.parse(row.coletado_em), row.intervalo_coleta_minutos * MINUTE]));
  const byStream = new Map<string, ReferenceSilverRow[]>();
  for (const row of silver) byStream.set(row.id_stream, [...(byStream.get(row.id_stream) ?? []), row]);

  const segments: Segment[] = [];
  for (const samples of byStream.values()) {
    samples.sort((a, b) => Date.parse(a.coletado_em) - Date.parse(b.coletado_em));
    samples.forEach((sample, index) => {
      const at = Date.parse(sample.coletado_em);
      const interval = sample.intervalo_coleta_minutos * MINUTE;
      const before = samples[index - 1];
      const after = samples[index + 1];
      const previous = previousInstant.get(at);
      const next = nextInstant.get(at);
      if (!before || Date.parse(before.coletado_em) !== previous) {
        const reach = previous === undefined ? interval : Math.max(interval, Math.min(at - previous, intervalAt.get(previous)!));
        const from = Math.max(Date.parse(sample.iniciado_em), at - reach);
        segments.push({ owner: sample, from, to: at, viewersFrom: sample.espectadores, viewersTo: sample.espectadores });
      }
      if (after && Date.parse(after.coletado_em) === next) {
        segments.push({ owner: sample, from: at, to: next, viewersFrom: sample.espectadores, viewersTo: after.espectadores });
      } else if (next !== undefined) {
        segments.push({ owner: sample, from: at, to: at + Math.min(next - at, Math.max(interval, intervalAt.get(next)!)) / 2, viewersFrom: sample.espectadores, viewersTo: sample.espectadores });
      }
    });
  }

  const pieces: EstimatePiece[] = [];
  const base = (row: ReferenceSilverRow) => ({
    nome_streamer: row.nome_streamer,
    nome_categoria: row.nome_categoria,
    tipo_conteudo: row.tipo_conteudo,
    idioma: row.idioma,
    id_stream: row.id_stream,
  });
  for (const segment of segments) {
    const viewersAt = (t: number) => segment.viewersFrom + ((segment.viewersTo - segment.viewersFrom) * (t - segment.from)) / (segment.to - segment.from);
    for (let low = segment.from; low < segment.to; low = Math.floor(low / MINUTE) * MINUTE + MINUTE) {
      const high = Math.min(segment.to, Math.floor(low / MINUTE) * MINUTE + MINUTE);
      const start = new Date(low).toISOString();
      pieces.push({
        ...base(segment.owner),
        data: intlLocalDate(start, timeZone),
        hora_dia: intlLocalHour(start, timeZone),
        periodo_dia: intlDayPeriod(start, timeZone),
        minutes: (high - low) / MINUTE,
        hours: (((high - low) / MINUTE) * (viewersAt(low) + viewersAt(high))) / 2 / 60,
        peak: Math.max(segment.viewersFrom, segment.viewersTo),
        sample: 0,
      });
    }
  }
  for (const row of silver) {
    pieces.push({ ...base(row), data: row.data, hora_dia: row.hora_dia, periodo_dia: row.periodo_dia, minutes: 0, hours: 0, peak: row.espectadores, sample: 1 });
  }
  return pieces;
}

/** A gold table's rows by grain from the reference estimate, for the dates that have samples. */
export function referenceEstimatedGold(silver: readonly ReferenceSilverRow[], timeZone: string, grain: string[]): ReferenceGoldRow[] {
  const dates = new Set(silver.map((row) => row.data));
  const groups = new Map<string, EstimatePiece[]>();
  for (const piece of referenceEstimate(silver, timeZone)) {
    if (!dates.has(piece.data)) continue;
    const key = JSON.stringify(['data', ...grain].map((column) => piece[column as keyof EstimatePiece]));
    groups.set(key, [...(groups.get(key) ?? []), piece]);
  }
  return [...groups.entries()]
    .map(([key, pieces]) => {
      const minutes = pieces.reduce((sum, piece) => sum + piece.minutes, 0);
      const hours = pieces.reduce((sum, piece) => sum + piece.hours, 0);
      return {
        key: (JSON.parse(key) as unknown[]).map(String),
        total_streams: new Set(pieces.map((piece) => piece.id_stream)).size,
        minutos_transmitidos: minutes,
        horas_assistidas: hours,
        media_espectadores: minutes > 0 ? (hours * 60) / minutes : 0,
        pico_espectadores: Math.max(...pieces.map((piece) => piece.peak)),
        amostras: pieces.reduce((sum, piece) => sum + piece.sample, 0),
      };
    })
    .sort((a, b) => (a.key.join('\u0000') < b.key.join('\u0000') ? -1 : 1));
}

/** A channel's broadcasts of one date, as `gold_streamers_diario` counts them. */
export interface ReferenceBroadcasts {
  transmissoes_amostradas: number;
  transmissoes_continuadas: number;
}

/**
 * Per `data` and `nome_streamer` (key `data/login`): the stream ids sampled that date, and of
 * those the ones the last snapshot of the date before sampled too (the neighbour gold reads).
 */
export function referenceBroadcasts(silver: readonly ReferenceSilverRow[]): Map<string, ReferenceBroadcasts> {
  const lastSnapshotOf = new Map<string, string>();
  for (const row of silver) if (row.coletado_em > (lastSnapshotOf.get(row.data) ?? '')) lastSnapshotOf.set(row.data, row.coletado_em);
  const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const sampled = new Map<string, Set<string>>();
  for (const row of silver) {
    const key = `${row.data}/${row.nome_streamer}`;
    sampled.set(key, (sampled.get(key) ?? new Set()).add(row.id_stream));
  }
  const result = new Map<string, ReferenceBroadcasts>();
  for (const [key, ids] of sampled) {
    const date = key.slice(0, 10);
    const last = lastSnapshotOf.get(dayBefore(date));
    const before = new Set(silver.filter((row) => row.data === dayBefore(date) && row.coletado_em === last).map((row) => row.id_stream));
    result.set(key, { transmissoes_amostradas: ids.size, transmissoes_continuadas: [...ids].filter((id) => before.has(id)).length });
  }
  return result;
}
