import type { SourceRecord, StreamSource } from '../../src/index';

/**
 * One Helix `/streams` record in Portuguese, numbered by `rank`, with `overrides` on top.
 *
 * @example
 * const record = helixStream(1, { viewer_count: 'many' });
 */
export function helixStream(rank: number, overrides: Record<string, unknown> = {}): SourceRecord {
  const record = {
    id: String(50_000_000 + rank),
    user_id: String(700 + rank),
    user_login: `canal_${rank}`,
    user_name: `Canal ${rank}`,
    game_id: '509658',
    game_name: 'Just Chatting',
    type: 'live',
    title: `Título ${rank}`,
    tags: ['Português'],
    viewer_count: 100 + rank,
    started_at: '2026-11-30T11:00:00Z',
    language: 'pt',
    thumbnail_url: 'https://static-cdn.example/{width}x{height}.jpg',
    tag_ids: [],
    is_mature: false,
    ...overrides,
  };
  return { queryLanguage: 'pt', record };
}

/**
 * A source whose every crawl returns `records` in one page.
 *
 * @example
 * await extractSnapshot({ source: fixedSource([helixStream(1)]), store, config, collectedAt });
 */
export function fixedSource(records: SourceRecord[]): StreamSource {
  return { crawlStreams: async () => ({ records, pages: 1, retries: 0, rateLimited: 0, restarts: 0, durationMs: 1 }) };
}
