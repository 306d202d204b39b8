import { sleep } from './backoff';
import { HelixRequestError } from './helix-request-error';

/** Epoch values at or above this are milliseconds, not seconds (1e11 s is the year 5138). */
const MILLISECONDS_EPOCH = 1e11;

/** The `Ratelimit-*` headers of one Helix response. */
export interface RateLimitHeaders {
  /** Bucket size (`Ratelimit-Limit`). */
  limit: number;
  /** Points left after this request (`Ratelimit-Remaining`). */
  remaining: number;
  /**
   * When the bucket is full again, epoch milliseconds on the local clock: `Ratelimit-Reset` is
   * in seconds on the server's clock, moved by the server's offset read from the `Date` header.
   */
  resetAtMs: number;
}

/** Settings of a {@link RateLimitPacer}. */
export interface RateLimitPacerOptions {
  /** Points never spent, so that another user of the token or a clock skew causes no 429. Default: 1 % of the limit, at least 1. */
  reserve?: (limit: number) => number;
  /**
   * Extra wait after the announced reset. `Ratelimit-Reset` has whole-second precision, so the
   * bucket may refill up to a second after the announced instant. Default 1000 ms.
   */
  resetMarginMs?: number;
  /**
   * The longest one wait for a reset may be. Twitch's bucket refills within a minute; a reset
   * announced further ahead (a broken header, a server clock far off) fails the crawl with a
   * clear error instead of stalling it. Default 90 s.
   */
  maxWaitMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * How far the server's clock is ahead of the local one (negative when behind), from a
 * response's `Date` header received at `localNowMs`; 0 when the header is absent or garbled.
 *
 * `Date` has whole-second precision and is stamped before the response travels, so the server's
 * true time is up to a second (plus the transit) later than it says: the offset read here is the
 * smallest it can be, which moves a reset later on the local clock, never earlier. A wait comes
 * out a little long rather than short enough to draw a 429.
 *
 * @example
 * const offsetMs = serverClockOffsetMs(response.headers, Date.now());
 * const localResetMs = serverResetMs - offsetMs;
 */
function serverClockOffsetMs(headers: Headers, localNowMs: number): number {
  const serverNowMs = Date.parse(headers.get('date') ?? '');
  return Number.isFinite(serverNowMs) ? serverNowMs - localNowMs : 0;
}

/**
 * Reads the `Ratelimit-*` headers of a response, or undefined when any is absent or garbled.
 * `Ratelimit-Reset` is a time on the server's clock: it is measured against the response's
 * `Date` header, so a local clock that is off (a laptop's, a container's) neither stalls the
 * crawl on a reset that looks far ahead nor runs it into 429s on one that looks past.
 *
 * @example
 * const limits = parseRateLimitHeaders(response.headers);
 * if (limits) console.log(limits.remaining, new Date(limits.resetAtMs));
 */
export function parseRateLimitHeaders(headers: Headers, localNowMs: number = Date.now()): RateLimitHeaders | undefined {
  const limit = Number(headers.get('ratelimit-limit') ?? Number.NaN);
  const remaining = Number(headers.get('ratelimit-remaining') ?? Number.NaN);
  const reset = Number(headers.get('ratelimit-reset') ?? Number.NaN);
  if (![limit, remaining, reset].every(Number.isFinite) || limit <= 0 || reset < 0) return undefined;
  // Twitch sends Unix seconds; a server that sends milliseconds must not mean "wait 50,000 years".
  const serverResetMs = reset >= MILLISECONDS_EPOCH ? reset : reset * 1000;
  return { limit, remaining: Math.max(0, remaining), resetAtMs: serverResetMs - serverClockOffsetMs(headers, localNowMs) };
}

/**
 * One pacer per app token, shared by every concurrent request made with it. It keeps a local
 * estimate of the bucket from the `Ratelimit-*` headers, counting requests still in flight
 * (their points are spent but not yet reported), spends points down to a small reserve and
 * then waits for the announced reset, so that normal operation never sees a 429. Until the
 * first headers arrive (or when a server sends none) it lets one request through at a time
 * instead of stalling.
 *
 * @example
 * const pacer = new RateLimitPacer();
 * await pacer.acquire();
 * const response = await fetch(url);
 * pacer.release(parseRateLimitHeaders(response.headers));
 */
export class RateLimitPacer {
  private limit: number | undefined;
  private remaining = 0;
  private resetAtMs: number | undefined;
  private inFlight = 0;
  private turn: Promise<void> = Promise.resolve();
  private settled: (() => void)[] = [];
  private readonly reserveOf: (limit: number) => number;
  private readonly resetMarginMs: number;
  private readonly maxWaitMs: number;
  private readonly now: () => number;

  constructor(options: RateLimitPacerOptions = {}) {
    this.reserveOf = options.reserve ?? ((limit) => Math.max(1, Math.floor(limit * 0.01)));
    this.resetMarginMs = options.resetMarginMs ?? 1000;
    this.maxWaitMs = options.maxWaitMs ?? 90_000;
    this.now = options.now ?? Date.now;
  }

  /** Waits until a point may be spent, then takes it. Callers are served in arrival order. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const mine = this.turn.then(() => this.takePoint(signal));
    this.turn = mine.catch(() => undefined);
    await mine;
  }

  /** Returns the in-flight slot of a finished request, with its response's headers if any. */
  release(headers?: RateLimitHeaders): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (headers) this.observe(headers);
    for (const wake of this.settled.splice(0)) wake();
  }

  /** Records a 429: the bucket is empty until `resetAtMs`. */
  exhaust(resetAtMs: number | undefined): void {
    this.remaining = 0;
    if (resetAtMs !== undefined) this.resetAtMs = Math.max(this.resetAtMs ?? 0, resetAtMs);
  }

  /**
   * How long a caller asking for a point now would wait: 0 while points are left above the
   * reserve (or nothing is known yet), otherwise until the announced reset plus the margin.
   *
   * @example
   * const waitMs = Math.max(backoffMs, pacer.waitMs());
   */
  waitMs(): number {
    if (this.limit === undefined || this.resetAtMs === undefined) return 0;
    const now = this.now();
    if (now >= this.resetAtMs + this.resetMarginMs || this.remaining > this.reserveOf(this.limit)) return 0;
    return Math.max(10, this.resetAtMs + this.resetMarginMs - now);
  }

  /** The current estimate, for logs and benchmarks. */
  snapshot(): { limit?: number; remaining: number; resetAtMs?: number; inFlight: number } {
    return { limit: this.limit, remaining: this.remaining, resetAtMs: this.resetAtMs, inFlight: this.inFlight };
  }

  private observe({ limit, remaining, resetAtMs }: RateLimitHeaders): void {
    // Requests still in flight were sent after the server counted this one, at worst.
    const reported = Math.max(0, remaining - this.inFlight);
    const newWindow = this.limit === undefined || this.resetAtMs === undefined || resetAtMs > this.resetAtMs;
    this.limit = limit;
    this.remaining = newWindow ? reported : Math.min(this.remaining, reported);
    if (newWindow) this.resetAtMs = resetAtMs;
  }

  private async takePoint(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      if (this.limit === undefined) {
        if (this.inFlight === 0) return this.spend();
        await this.untilSettled();
        continue;
      }
      const now = this.now();
      if (this.resetAtMs !== undefined && now >= this.resetAtMs + this.resetMarginMs) {
        this.remaining = this.limit;
        this.resetAtMs = undefined;
      }
      if (this.remaining > this.reserveOf(this.limit)) return this.spend();
      if (this.resetAtMs === undefined) {
        // Spent down without any reset announced: back to one request at a time until headers arrive.
        if (this.inFlight === 0) this.limit = undefined;
        await this.untilSettled();
        continue;
      }
      const waitMs = this.resetAtMs + this.resetMarginMs - now;
      if (waitMs > this.maxWaitMs) {
        throw new HelixRequestError(
          `Helix announced a rate-limit reset at ${new Date(this.resetAtMs).toISOString()}, ${Math.round(waitMs / 1000)} s ahead: ` +
            `more than the maximum wait of ${Math.round(this.maxWaitMs / 1000)} s, so the crawl gives up instead of stalling`,
          'rate-limit-wait',
        );
      }
      // Never less than 10 ms, so a reset that keeps slipping cannot spin the loop.
      await sleep(Math.max(10, waitMs), signal);
    }
  }

  private spend(): void {
    this.remaining = Math.max(0, this.remaining - 1);
    this.inFlight += 1;
  }

  private untilSettled(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.settled.push(resolve));
  }
}
