import { contentTypeOf, dayPeriodOf, localDate, localHour } from '@twitch-pipeline/features';
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
  duracao_minutos: number;
  intervalo_minutos: number;
  horas_assistidas: number;
  horas_assistidas_total: number;
  periodo_dia: string;
  hora_dia: number;
  data: string;
}

/** One gold row: the grain values then the measures. */
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
    const firstIds = new Set<string>();
    for (const row of rows) {
      const reason = rejection(row) ?? (firstIds.has(row.id!) ? 'duplicate stream id within the snapshot' : undefined);
      if (row.id !== null) firstIds.add(row.id);
      if (reason) {
        reasons.push(reason);
        continue;
      }
      const duration = Math.max(0, (Date.parse(collectedAt) - Date.parse(row.started_at!)) / 60_000);
      const interval = Math.min(row.collection_interval_minutes!, duration);
      silver.push({
        id_snapshot: snapshotId,
        id_stream: row.id!,
        nome_streamer: row.user_login!.trim().toLowerCase(),
        nome_categoria: row.game_name?.trim() ? row.game_name : 'Unknown',
        tipo_conteudo: contentTypeOf(row.game_id),
        titulo: row.title ?? '',
        idioma: row.language ?? '',
        espectadores: row.viewer_count!,
        duracao_minutos: duration,
        intervalo_minutos: interval,
        horas_assistidas: (row.viewer_count! * interval) / 60,
        horas_assistidas_total: (row.viewer_count! * duration) / 60,
        periodo_dia: dayPeriodOf(collectedAt, timeZone),
        hora_dia: localHour(collectedAt, timeZone),
        data: localDate(collectedAt, timeZone),
      });
    }
  }
  return { silver, reasons: reasons.sort() };
}

/** A gold table's rows by grain, from reference silver rows. */
export function referenceGold(silver: readonly ReferenceSilverRow[], grain: (keyof ReferenceSilverRow)[]): ReferenceGoldRow[] {
  const groups = new Map<string, ReferenceSilverRow[]>();
  for (const row of silver) {
    const key = JSON.stringify(['data', ...grain].map((column) => row[column as keyof ReferenceSilverRow]));
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.entries()]
    .map(([key, rows]) => {
      const minutes = rows.reduce((sum, row) => sum + row.intervalo_minutos, 0);
      const hours = rows.reduce((sum, row) => sum + row.horas_assistidas, 0);
      return {
        key: (JSON.parse(key) as unknown[]).map(String),
        total_streams: new Set(rows.map((row) => row.id_stream)).size,
        minutos_transmitidos: minutes,
        horas_assistidas: hours,
        media_espectadores: minutes > 0 ? (hours * 60) / minutes : 0,
        pico_espectadores: Math.max(...rows.map((row) => row.espectadores)),
        amostras: rows.length,
      };
    })
    .sort((a, b) => (a.key.join('\u0000') < b.key.join('\u0000') ? -1 : 1));
}
