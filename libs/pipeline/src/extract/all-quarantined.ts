/**
 * Why a snapshot that collected streams put none in bronze (Twitch changed a field's form, say),
 * or undefined when some reached bronze or none were collected: such a snapshot is written and
 * goes through the steps like any other (unless its slot already held one with rows, which
 * `keepEarlierSnapshot` keeps), but it must not pass for a good one, or a collector would go on
 * writing empty snapshots unnoticed. The extract logs it as an error; `run` fails the cycle.
 *
 * @example
 * allQuarantinedProblem({ written: 0, quarantined: 2700, firstQuarantineReason: 'id: must be a numeric id string' });
 * // 'all 2,700 streams collected were quarantined, none reached bronze (first reason: id: must be a numeric id string)'
 */
export function allQuarantinedProblem(summary: { written: number; quarantined: number; firstQuarantineReason?: string }): string | undefined {
  if (summary.written > 0 || summary.quarantined === 0) return undefined;
  const streams = summary.quarantined === 1 ? 'the one stream collected was' : `all ${summary.quarantined.toLocaleString('en-US')} streams collected were`;
  return `${streams} quarantined, none reached bronze (first reason: ${summary.firstQuarantineReason ?? 'unknown'})`;
}
