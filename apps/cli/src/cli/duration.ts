const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a duration such as `30m`, `1h`, `90s`, `1h30m` or `2d` into milliseconds.
 * Returns undefined when the text is not a positive duration.
 *
 * @example
 * parseDuration('30m'); // 1_800_000
 * parseDuration('1h30m'); // 5_400_000
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (!/^(\d+(\.\d+)?[smhd])+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)) total += Number(amount) * UNITS[unit!]!;
  return total > 0 ? total : undefined;
}

/**
 * A short human form of milliseconds: `850 ms`, `12.4 s`, `3 min 5 s`, `2 h 30 min`.
 *
 * @example
 * formatDuration(185_000); // '3 min 5 s'
 */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.round((ms % 60_000) / 1_000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
