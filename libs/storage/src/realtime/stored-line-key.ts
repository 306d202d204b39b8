/** The fields of a stored line that readers rely on: a line without them holds no item. */
export interface StoredLineKey {
  nomeStreamer: string;
  timestampMs: number;
  version: number;
  expiresAt: number;
}

/**
 * What makes a line of a local real-time segment a stored item: JSON holding a channel name, a
 * parseable `timestamp`, a numeric `expira_em` and the write version. The channel index and the
 * count of skipped lines both ask this one function, so that they always agree on which lines
 * are torn or damaged. Undefined for any other line.
 *
 * @example
 * storedLineKey('{"nome_streamer":"gaules","timestamp":"2026-12-07T12:00:00Z","expira_em":1796819400,"_versao":1}', '_versao');
 * // { nomeStreamer: 'gaules', timestampMs: 1796644800000, version: 1, expiresAt: 1796819400 }
 */
export function storedLineKey(text: string, versionColumn: string): StoredLineKey | undefined {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const version = value[versionColumn];
  const timestampMs = typeof value.timestamp === 'string' ? Date.parse(value.timestamp) : Number.NaN;
  if (typeof value.nome_streamer !== 'string' || typeof version !== 'number' || typeof value.expira_em !== 'number') return undefined;
  if (Number.isNaN(timestampMs)) return undefined;
  return { nomeStreamer: value.nome_streamer, timestampMs, version, expiresAt: value.expira_em };
}
