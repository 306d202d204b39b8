/**
 * The measured error of gold's hours watched against the simulator's ground truth (the exact
 * integral of viewers over a local day), from `tools/bench/accuracy/hours-watched.ts`; the full
 * table (15/30/60-minute intervals × population shapes) is in docs/transforms.md.
 */
const HOURS_WATCHED_ACCURACY = {
  /** Collection interval of the headline figure. */
  intervalMinutes: 30,
  /** Population shapes measured besides broadcasts shorter than the interval. */
  populations: 5,
  /** Largest error over those shapes, in percent of the truth (signed). */
  worstErrorPercent: 0.93,
} as const;

/**
 * One line that says how far hours watched are from the truth, for headers and summaries.
 *
 * @example
 * hoursWatchedAccuracyNote(); // 'hours watched: estimated from snapshots; largest error +0.93 % against the true integral …'
 */
export function hoursWatchedAccuracyNote(): string {
  const { intervalMinutes, populations, worstErrorPercent } = HOURS_WATCHED_ACCURACY;
  const sign = worstErrorPercent >= 0 ? '+' : '';
  return (
    `hours watched: estimated from snapshots; largest error ${sign}${worstErrorPercent.toFixed(2)} % against the true integral ` +
    `at ${intervalMinutes}-minute sampling on ${populations} simulated audience shapes (docs/transforms.md)`
  );
}
