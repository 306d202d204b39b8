import { splitUnit, unitHash, hash32 } from './random';

/**
 * Population shapes: the default platform, and variants that stress how hours watched are
 * estimated from periodic snapshots (accuracy benchmarks run the pipeline on each).
 *
 * - `default`: 10 % of broadcasts last 30–120 min, 85 % 2–6 h, 5 % 6–12 h; audiences arrive over
 *   the first quarter hour and fade in the last minutes.
 * - `long-broadcasts`: every broadcast lasts 10–12 h.
 * - `spiky`: raids (the audience jumps up to threefold, then decays over about 20 minutes) and
 *   drops (it falls to a third for 10–25 minutes) at random moments of the broadcast.
 * - `slow-ramp`: the audience builds up linearly over 45–90 minutes after the start.
 * - `early-leavers`: the audience leaves over the last 45–90 minutes, down to a tenth at the end.
 * - `short-broadcasts`: every broadcast lasts 5–25 minutes, less than a 30-minute interval.
 */
export const POPULATION_SHAPES = ['default', 'long-broadcasts', 'spiky', 'slow-ramp', 'early-leavers', 'short-broadcasts'] as const;
export type PopulationShape = (typeof POPULATION_SHAPES)[number];

/** Minutes after the start over which the default audience arrives. */
const DEFAULT_RAMP_MINUTES = 15;
const EVENTS_PER_SPIKY_SESSION = 4;

/**
 * Broadcast length in minutes of a channel's session on a stream day, from two uniform draws.
 *
 * @example
 * broadcastMinutes('long-broadcasts', 0.3, 0.5); // 660
 */
export function broadcastMinutes(shape: PopulationShape, kind: number, u: number): number {
  if (shape === 'long-broadcasts') return 600 + Math.round(120 * u);
  if (shape === 'short-broadcasts') return 5 + Math.round(20 * u);
  if (kind < 0.1) return 30 + Math.round(90 * u);
  if (kind < 0.95) return 120 + Math.round(240 * u);
  return 360 + Math.round(360 * u);
}

/** The identity of a session for its per-session draws. */
export interface ShapeSession {
  readonly seed: number;
  readonly channel: number;
  readonly day: number;
  readonly start: number;
  readonly end: number;
}

/**
 * The audience factor of a session at a UTC minute: how the shape bends the level that the
 * channel, the drift and the time of day give (arrival after the start, departure before the
 * end, raids and drops).
 *
 * @example
 * const factor = audienceFactor('slow-ramp', session);
 * factor(session.start + 30); // about a half
 */
export function audienceFactor(shape: PopulationShape, session: ShapeSession): (minute: number) => number {
  const { seed, channel, day, start, end } = session;
  const ramp = shape === 'slow-ramp' ? 45 + 45 * unitHash(seed, channel, day, 9) : DEFAULT_RAMP_MINUTES;
  const leaving = shape === 'early-leavers' ? 45 + 45 * unitHash(seed, channel, day, 10) : 0;
  const events = shape === 'spiky' ? spikyEvents(seed, channel, day, start, end) : [];
  return (minute) => {
    const elapsed = minute - start;
    const left = end - minute;
    let factor = Math.min(1, (elapsed + 1) / ramp) * Math.min(1, 0.4 + left / 16);
    if (leaving > 0) factor *= 0.1 + 0.9 * Math.min(1, left / leaving);
    for (const event of events) {
      if (minute < event.at) continue;
      if (event.raid) factor *= 1 + event.size * Math.exp(-(minute - event.at) / 20);
      else if (minute < event.at + event.length) factor *= 1 / 3;
    }
    return factor;
  };
}

function spikyEvents(seed: number, channel: number, day: number, start: number, end: number) {
  return Array.from({ length: EVENTS_PER_SPIKY_SESSION }, (_, index) => {
    const [where, what] = splitUnit(hash32(seed, channel, day, 11 + index));
    return {
      at: start + Math.floor(where * (end - start)),
      raid: what < 0.5,
      size: 4 * what,
      length: 10 + Math.round(15 * unitHash(seed, channel, day, 21 + index)),
    };
  });
}
