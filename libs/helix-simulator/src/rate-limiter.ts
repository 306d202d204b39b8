/** The rate-limit state a Helix response reports in its `Ratelimit-*` headers. */
export interface RateLimitState {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Unix seconds when the bucket is full again. */
  readonly reset: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Helix's token bucket: `points` per `windowMs` per client id, refilled continuously, one
 * point per call. It always runs on the real wall clock, even when the population clock is
 * virtual, because clients pace themselves by real time.
 *
 * @example
 * const limiter = new RateLimiter(800, 60_000);
 * limiter.take('client-id'); // { allowed: true, limit: 800, remaining: 799, reset: … }
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly points: number,
    readonly windowMs: number,
  ) {}

  /** Takes one point for `clientId` if one is left; reports the state either way. */
  take(clientId: string, now = Date.now()): RateLimitState {
    const bucket = this.refilled(clientId, now);
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    return this.stateOf(bucket, allowed, now);
  }

  /** Reports the state of `clientId`'s bucket without taking a point. */
  peek(clientId: string, now = Date.now()): RateLimitState {
    return this.stateOf(this.refilled(clientId, now), true, now);
  }

  private refilled(clientId: string, now: number): Bucket {
    let bucket = this.buckets.get(clientId);
    if (!bucket) {
      bucket = { tokens: this.points, updatedAt: now };
      this.buckets.set(clientId, bucket);
    }
    // A wall clock set back gives no refill rather than a negative one, which emptied the bucket
    // for as long as the clock went back and answered every call with 429 until then.
    const refill = (Math.max(0, now - bucket.updatedAt) * this.points) / this.windowMs;
    bucket.tokens = Math.min(this.points, bucket.tokens + refill);
    bucket.updatedAt = now;
    return bucket;
  }

  private stateOf(bucket: Bucket, allowed: boolean, now: number): RateLimitState {
    const msToFull = ((this.points - bucket.tokens) * this.windowMs) / this.points;
    return {
      allowed,
      limit: this.points,
      remaining: Math.floor(bucket.tokens),
      reset: Math.ceil((now + msToFull) / 1000),
    };
  }
}
