import type { RealtimeEvent } from '@twitch-pipeline/schemas';

/**
 * A real-time event with plausible defaults; tests set only what they are about.
 *
 * @example
 * eventOf({ nome_streamer: 'gaules', id_stream: 's1', espectadores: 900, timestamp: T1 });
 */
export function eventOf(fields: Partial<RealtimeEvent> & Pick<RealtimeEvent, 'nome_streamer' | 'timestamp'>): RealtimeEvent {
  return {
    id_stream: `${fields.nome_streamer}-stream`,
    espectadores: 100,
    nome_categoria: 'Counter-Strike',
    tipo_conteudo: 'Game',
    periodo_dia: 'Night',
    titulo: 'ao vivo',
    idioma: 'pt',
    iniciado_em: '2026-11-29T20:00:00.000Z',
    ...fields,
  };
}
