/**
 * Partition-key prefixes the alert path reserves in the real-time table. Twitch logins are
 * `[a-z0-9_]` only, so a key starting with `#` can never be a channel's; readers of the table
 * (the `realtime_events` view, the Athena connector) skip them with `nome_streamer NOT LIKE '#%'`.
 */
export const RESERVED_PREFIXES = {
  alert: '#alert#',
  audience: '#audience#',
  evaluated: '#evaluated#',
} as const;
