import type { RealtimeItem } from '@twitch-pipeline/schemas';

/**
 * A valid real-time item whose key and viewers the test chooses.
 *
 * @example
 * const item = realtimeItem('gaules', '2026-11-29T21:30:00.000Z', { espectadores: 10 });
 */
export function realtimeItem(nome: string, timestamp: string, overrides: Partial<RealtimeItem> = {}): RealtimeItem {
  return {
    nome_streamer: nome,
    timestamp,
    id_stream: `${Math.abs(hash(nome + timestamp))}`,
    espectadores: 100,
    nome_categoria: 'Just Chatting',
    tipo_conteudo: 'Non-Game',
    periodo_dia: 'Night',
    titulo: 'ao vivo ✨ 日本語',
    idioma: 'pt',
    iniciado_em: '2026-11-29T18:00:00.000Z',
    expira_em: Math.floor(Date.now() / 1000) + 48 * 3600,
    ...overrides,
  };
}

function hash(text: string): number {
  let value = 7;
  for (const char of text) value = (value * 31 + char.charCodeAt(0)) | 0;
  return value || 1;
}
