import { contentTypeOf, intlDayPeriod, intlLocalDate, intlLocalHour } from '@twitch-pipeline/features';
import { snapshotIdFor } from '@twitch-pipeline/schemas';
import type { LooseBronzeRow } from './transform-lake';

/** The silver columns the reference computes, in plain TypeScript. */
export interface ReferenceSilverRow {
  id_snapshot: string;
  id_stream: string;
  nome_streamer: string;
  nome_categoria: string;
  tipo_conteudo: string;
  titulo: string;
  idioma: string;
  espectadores: number;
  iniciado_em: string;
  coletado_em: string;
  duracao_minutos: number;
  intervalo_coleta_minutos: number;
  fuso_horario: string;
  intervalo_minutos: number;
  horas_assistidas: number;
  horas_assistidas_total: number;
  periodo_dia: string;
  hora_dia: number;
  data: string;
}

/** One gold row: the grain values then the measures (see transform-estimate-reference.ts). */
export interface ReferenceGoldRow {
  key: string[];
  total_streams: number;
  minutos_transmitidos: number;
  horas_assistidas: number;
  media_espectadores: number;
  pico_espectadores: number;
  amostras: number;
}

const SKEW_MS = 5 * 60_000;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function rejection(row: LooseBronzeRow): string | undefined {
  if (!row.id?.trim()) return 'missing id';
  if (!row.user_id?.trim()) return 'missing user_id';
  if (!row.user_login?.trim()) return 'missing user_login';
  if (row.viewer_count === null) return 'missing viewer_count';
  if (row.viewer_count < 0) return 'negative viewer_count';
  if (!Number.isInteger(row.viewer_count)) return 'viewer_count not a whole number';
  if (!row.started_at || !ISO.test(row.started_at)) return 'unparsable started_at';
  if (Date.parse(row.started_at) > Date.parse(row.collected_at!) + SKEW_MS) return 'started_at after collected_at beyond the allowed skew';
  return undefined;
}

/** The silver step's rules, written independently of the SQL model: silver rows and quarantine reasons. */
export function referenceSilver(
  snapshots: { collectedAt: string; rows: LooseBronzeRow[] }[],
  timeZone: string,
): { silver: ReferenceSilverRow[]; reasons: string[] } {
  const silver: ReferenceSilverRow[] = [];
  const reasons: string[] = [];
  for (const { collectedAt, rows } of snapshots) {
    const snapshotId = snapshotIdFor(new Date(collectedAt));
    const keptIds = new Set<string>();
    for (const row of rows) {
      // The first copy of a stream id that passes the checks is kept; a refused copy keeps nothing.
      const reason = rejection(row) ?? (keptIds.has(row.id!) ? 'duplicate stream id within the snapshot' : undefined);
      if (!reason) keptIds.add(row.id!);
      if (reason) {
        reasons.push(reason);
        continue;
      }
      const duration = Math.max(0, (Date.parse(collectedAt) - Date.parse(row.started_at!)) / 60_000);
      const period = row.collection_interval_minutes!;
      const interval = (duration < period ? duration : period / 2) + period / 2;
      silver.push({
        id_snapshot: snapshotId,
        id_stream: row.id!,
        nome_streamer: row.user_login!.trim().toLowerCase(),
        nome_categoria: row.game_name?.trim() ? row.game_name : 'Unknown',
        tipo_conteudo: contentTypeOf(row.game_id),
        titulo: row.title ?? '',
        idioma: row.language ?? '',
        espectadores: row.viewer_count!,
        iniciado_em: new Date(row.started_at!).toISOString(),
        coletado_em: new Date(collectedAt).toISOString(),
        duracao_minutos: duration,
        intervalo_coleta_minutos: row.collection_interval_minutes!,
        fuso_horario: timeZone,
        intervalo_minutos: interval,
        horas_assistidas: (row.viewer_count! * interval) / 60,
        horas_assistidas_total: (row.viewer_count! * duration) / 60,
        periodo_dia: intlDayPeriod(collectedAt, timeZone),
        hora_dia: intlLocalHour(collectedAt, timeZone),
        data: intlLocalDate(collectedAt, timeZone),
      });
    }
  }
  return { silver, reasons: reasons.sort() };
}
