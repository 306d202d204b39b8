import { audienceFactor, broadcastMinutes, type PopulationShape } from './audience-shapes';
import { CATEGORIES } from './categories';
import { LANGUAGES } from './languages';
import { cumulativeOf, hash32, mulberry32, normalHash, pickCumulative, splitUnit, unitHash } from './random';
import { MINUTES_PER_DAY, streamDayOf, streamDayStart } from './stream-days';

/** One broadcast of a channel: it starts and ends on whole UTC minutes. */
export interface Session {
  readonly channel: number;
  readonly day: number;
  /** First live minute (minutes since the epoch, UTC). */
  readonly start: number;
  /** First minute after the broadcast. */
  readonly end: number;
}

/**
 * Audience tail exponent. For a Pareto law the top fraction q of channels holds q^(1 - 1/α) of
 * all viewers; α = 1.1 puts about three quarters of viewers in the top ~10 % of live channels
 * (the top 10,000 of ~95,000), with a median of a few viewers and a top in the tens of thousands.
 */
const AUDIENCE_ALPHA = 1.1;
const AUDIENCE_MIN = 2.2;
const AUDIENCE_CAP = 80_000;
/** Share of days a channel streams: uniform in [0.2, 0.9]. */
const ACTIVITY_MIN = 0.2;
const ACTIVITY_SPAN = 0.7;
/** Local evening peak, as minutes after the 05:00 start of the stream day (20:00 local). */
const PEAK_START = 15 * 60;
/** Local audience peak, as minutes after the start of the stream day (21:00 local). */
const AUDIENCE_PEAK = 16 * 60;
/**
 * Mean session length in minutes, less the days skipped for overlap, measured on the model
 * below; sizes the channel pool so that the daily mean of live channels hits the target.
 */
const MEAN_SESSION_MINUTES = 239;
const MATURE_SHARE = 0.12;
const HOME_CATEGORY_SHARE = 0.7;
/** Stream days whose session tables stay in memory (about 9 MB each at the default scale). */
const CACHED_DAYS = 6;

const languageCumulative = cumulativeOf(LANGUAGES.map((language) => language.share));
const categoryCumulative = cumulativeOf(CATEGORIES.map((category) => category.weight));

/**
 * The seeded pool of channels. Channel traits live in typed arrays (a million channels take a
 * few megabytes and well under a second to draw); sessions and viewer counts are pure
 * functions of (seed, channel, day, minute), so any instant can be evaluated in any order.
 *
 * @example
 * const pool = new ChannelPool(42, 95_000);
 * const minute = Math.floor(Date.now() / 60_000);
 * const viewers = pool.liveSessions(minute).map((session) => pool.viewersAt(session, minute));
 */
export class ChannelPool {
  readonly size: number;
  readonly language: Uint8Array;
  readonly audience: Float32Array;
  readonly activity: Float32Array;
  readonly preferredStart: Int16Array;
  readonly homeCategory: Uint8Array;
  readonly mature: Uint8Array;
  /** First minute of each (language, stream day) window: the time-zone maths runs once per key. */
  private readonly windowStarts = new Map<number, number>();
  private readonly daySessions = new Map<number, Int32Array>();

  constructor(
    readonly seed: number,
    averageLiveChannels: number,
    readonly shape: PopulationShape = 'default',
  ) {
    const meanActivity = ACTIVITY_MIN + ACTIVITY_SPAN / 2;
    this.size = Math.max(1, Math.round((averageLiveChannels * MINUTES_PER_DAY) / (meanActivity * MEAN_SESSION_MINUTES)));
    this.language = new Uint8Array(this.size);
    this.audience = new Float32Array(this.size);
    this.activity = new Float32Array(this.size);
    this.preferredStart = new Int16Array(this.size);
    this.homeCategory = new Uint8Array(this.size);
    this.mature = new Uint8Array(this.size);
    const next = mulberry32(seed);
    for (let channel = 0; channel < this.size; channel++) {
      this.language[channel] = pickCumulative(languageCumulative, next());
      const tail = AUDIENCE_MIN * (1 - next()) ** (-1 / AUDIENCE_ALPHA);
      this.audience[channel] = Math.min(AUDIENCE_CAP, tail);
      this.activity[channel] = ACTIVITY_MIN + ACTIVITY_SPAN * next();
      // Most streamers keep an evening slot; nearly half keep an arbitrary one.
      const habit = next() < 0.55 ? PEAK_START + 240 * gaussian(next) : MINUTES_PER_DAY * next();
      this.preferredStart[channel] = Math.round(Math.min(MINUTES_PER_DAY - 30, Math.max(0, habit)));
      this.homeCategory[channel] = pickCumulative(categoryCumulative, next());
      this.mature[channel] = next() < MATURE_SHARE ? 1 : 0;
    }
  }

  /**
   * Every session live during UTC minute `minute`, in channel order: for each channel, the
   * session that started on the minute's stream day or one still running from the day before.
   * A drawn session that would start before the previous day's one ends is skipped, so a
   * channel never has two sessions at once.
   * The day tables are looked up once per language, not once per channel.
   *
   * @example
   * pool.liveSessions(Math.floor(Date.now() / 60_000)).length;
   */
  liveSessions(minute: number): Session[] {
    const tables = LANGUAGES.map((language) => {
      const day = streamDayOf(language.timeZone, minute);
      return { day, current: this.drawnSessions(day), previous: this.drawnSessions(day - 1), older: this.drawnSessions(day - 2) };
    });
    const sessions: Session[] = [];
    for (let channel = 0; channel < this.size; channel++) {
      const { day, current, previous, older } = tables[this.language[channel]!]!;
      const start = 2 * channel;
      const end = start + 1;
      // A drawn session counts unless the one drawn the day before is still running at its start.
      if (covers(current, channel, minute) && !(previous[start]! >= 0 && previous[end]! > current[start]!)) {
        sessions.push({ channel, day, start: current[start]!, end: current[end]! });
      } else if (covers(previous, channel, minute) && !(older[start]! >= 0 && older[end]! > previous[start]!)) {
        sessions.push({ channel, day: day - 1, start: previous[start]!, end: previous[end]! });
      }
    }
    return sessions;
  }

  /**
   * Every session starting on stream day `day` (in each channel's own region) that overlaps
   * the UTC minutes [from, to), in channel order.
   *
   * @example
   * pool.sessionsOverlapping(20_522, startMinute, endMinute).length;
   */
  sessionsOverlapping(day: number, from: number, to: number): Session[] {
    const current = this.drawnSessions(day);
    const previous = this.drawnSessions(day - 1);
    const sessions: Session[] = [];
    for (let channel = 0; channel < this.size; channel++) {
      const start = current[2 * channel]!;
      const end = current[2 * channel + 1]!;
      if (start < 0 || start >= to || end <= from) continue;
      if (previous[2 * channel]! >= 0 && previous[2 * channel + 1]! > start) continue;
      sessions.push({ channel, day, start, end });
    }
    return sessions;
  }

  /**
   * Start and end minute of every channel's drawn session on stream day `day` (start -1: no
   * session), drawn once per day and kept for the last few days, so that a minute's live list
   * only reads typed arrays.
   */
  private drawnSessions(day: number): Int32Array {
    const cached = this.daySessions.get(day);
    if (cached) return cached;
    const table = new Int32Array(2 * this.size);
    for (let channel = 0; channel < this.size; channel++) this.drawSession(channel, day, table);
    this.daySessions.set(day, table);
    if (this.daySessions.size > CACHED_DAYS) this.daySessions.delete(this.daySessions.keys().next().value!);
    return table;
  }

  private drawSession(channel: number, day: number, table: Int32Array): void {
    if (unitHash(this.seed, channel, day, 1) >= this.activity[channel]!) {
      table[2 * channel] = -1;
      return;
    }
    const language = this.language[channel]!;
    const windowStart = this.windowStart(language, day);
    const windowLength = this.windowStart(language, day + 1) - windowStart;
    // Triangular day-to-day jitter around the habit (standard deviation 45 minutes).
    const [a, b] = splitUnit(hash32(this.seed, channel, day, 2));
    const jitter = 110 * (a + b - 1);
    const offset = Math.round(Math.min(windowLength - 1, Math.max(0, this.preferredStart[channel]! + jitter)));
    table[2 * channel] = windowStart + offset;
    table[2 * channel + 1] = windowStart + offset + this.durationOf(channel, day);
  }

  /**
   * Concurrent viewers of `session` during UTC minute `minute` (constant within the minute).
   *
   * @example
   * pool.viewersAt(session, session.start + 30);
   */
  viewersAt(session: Session, minute: number): number {
    return this.viewerCurve(session)(minute);
  }

  /**
   * The viewer count of `session` as a function of the UTC minute, with the per-session
   * constants drawn once (integrating a session calls it once per minute). Audiences arrive and
   * leave as the population shape says (by default: ramp up over the first quarter hour, fade in
   * the last minutes), drift smoothly in between on two
   * waves whose periods and phases belong to the session, and follow the region's day: full
   * at 21:00 local time, half at 09:00.
   *
   * @example
   * const viewers = pool.viewerCurve(session);
   * viewers(session.start + 30);
   */
  viewerCurve(session: Session): (minute: number) => number {
    const { channel, day, start, end } = session;
    const level = this.audience[channel]! * Math.exp(0.25 * normalHash(this.seed, channel, day, 3));
    const slow = (2 * Math.PI) / (90 + 90 * unitHash(this.seed, channel, day, 4));
    const fast = (2 * Math.PI) / 23;
    const phase = 2 * Math.PI * unitHash(this.seed, channel, day, 5);
    const localPeak = this.windowStart(this.language[channel]!, day) + AUDIENCE_PEAK;
    const daily = (2 * Math.PI) / MINUTES_PER_DAY;
    const shaped = audienceFactor(this.shape, { seed: this.seed, channel, day, start, end });
    return (minute) => {
      const elapsed = minute - start;
      const drift = 1 + 0.15 * Math.sin(slow * elapsed + phase) + 0.06 * Math.sin(fast * elapsed + 2 * phase);
      const timeOfDay = 0.75 + 0.25 * Math.cos(daily * (minute - localPeak));
      return Math.max(0, Math.round(level * shaped(minute) * drift * timeOfDay));
    };
  }

  /**
   * Index into CATEGORIES of the category `session` streams, or -1 for an unset category.
   *
   * @example
   * CATEGORIES[pool.categoryOf(session)]?.name;
   */
  categoryOf(session: Session): number {
    const u = unitHash(this.seed, session.channel, session.day, 6);
    if (u < 0.01) return -1;
    if (u < 0.01 + HOME_CATEGORY_SHARE) return this.homeCategory[session.channel]!;
    return pickCumulative(categoryCumulative, unitHash(this.seed, session.channel, session.day, 7));
  }

  /**
   * The stream id of `session`: unique per (channel, day), so new for every broadcast.
   *
   * @example
   * pool.streamIdOf(session); // 52871234567
   */
  streamIdOf(session: Session): number {
    return 40_000_000_000 + session.day * this.size + session.channel;
  }

  private windowStart(language: number, day: number): number {
    const key = day * 16 + language;
    let start = this.windowStarts.get(key);
    if (start === undefined) {
      start = streamDayStart(LANGUAGES[language]!.timeZone, day);
      this.windowStarts.set(key, start);
    }
    return start;
  }

  private durationOf(channel: number, day: number): number {
    const [kind, u] = splitUnit(hash32(this.seed, channel, day, 8));
    return broadcastMinutes(this.shape, kind, u);
  }
}

function covers(table: Int32Array, channel: number, minute: number): boolean {
  const start = table[2 * channel]!;
  return start >= 0 && start <= minute && minute < table[2 * channel + 1]!;
}

function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}
