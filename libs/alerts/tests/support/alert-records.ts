import type { AlertRecord } from '@twitch-pipeline/schemas';

/**
 * A delivered-shape `channel_live` alert of gaules for one stream id, at `timestamp`.
 *
 * @example
 * await log.claim(alertAt('2026-11-29T21:30:00.000Z', 's1'), 30_000);
 */
export function alertAt(timestamp: string, idStream: string): AlertRecord {
  return {
    rule: 'live',
    type: 'channel_live',
    key: `channel_live|live|${idStream}`,
    nome_streamer: 'gaules',
    id_stream: idStream,
    espectadores: 1000,
    timestamp,
    message: `gaules is live (${idStream})`,
  };
}
