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
  // A duration must be a whole millisecond at least and finite (400 nines overflow to Infinity).
  return Number.isFinite(total) && total >= 1 ? total : undefined;
}

/**
 * A short human form of milliseconds: `850 ms`, `12.4 s`, `3 min 5 s`, `2 h 30 min`.
 *
 * @example
 * formatDuration(185_000); // '3 min 5 s'
 */
export function formatDuration(ms: number): string {
  // Each unit is chosen by the value as rounded for it, so 119.9 s reads `2 min 0 s`, never `1 min 60 s`.
  if (Math.round(ms) < 1_000) return `${Math.round(ms)} ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1_000);
  if (seconds < 3_600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
