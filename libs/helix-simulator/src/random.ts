/**
 * Small deterministic random sources.
 *
 * Two shapes are needed. The population must answer "is channel c live on day d, and with
 * how many viewers at minute m?" for any (c, d, m) in any order, so it uses a stateless
 * integer hash (the murmur3 finaliser) that maps a tuple of integers to a uniform value:
 * random access, no state to replay. Request-level faults are drawn in request order from a
 * mulberry32 stream: 32-bit state, a handful of operations per draw, good enough statistics
 * for simulation, and reproducible from the seed — `Math.random` is neither seedable nor
 * reproducible.
 */

function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function step(h: number, part: number): number {
  // The bits above 32 are folded in too: stream ids exceed 2^32.
  const high = Math.floor(part / 4_294_967_296);
  return mix32((h ^ Math.imul((part | 0) + 0x7f4a7c15, 0x27d4eb2d)) + Math.imul(high, 0x165667b1));
}

/**
 * A 32-bit hash of up to five integers, uniform over [0, 2^32). Fixed arity (missing parts
 * count as 0) keeps the hot path free of array allocations.
 *
 * @example
 * hash32(1, 42, 7); // same value on every call and every machine
 */
export function hash32(a: number, b = 0, c = 0, d = 0, e = 0): number {
  return step(step(step(step(step(0x9e3779b9, a), b), c), d), e);
}

/**
 * A uniform value in [0, 1) for up to four integers.
 *
 * @example
 * const u = unitHash(seed, channel, day); // 0 <= u < 1
 */
export function unitHash(a: number, b = 0, c = 0, d = 0): number {
  return hash32(a, b, c, d) / 4_294_967_296;
}

/**
 * A standard normal value for up to four integers (Box–Muller on two hashed uniforms).
 *
 * @example
 * const z = normalHash(seed, channel, 3); // mean 0, standard deviation 1
 */
export function normalHash(a: number, b = 0, c = 0, d = 0): number {
  const u1 = (hash32(a, b, c, d, 1) + 1) / 4_294_967_297;
  const u2 = hash32(a, b, c, d, 2) / 4_294_967_296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * Two independent uniform values in [0, 1) with 16-bit resolution from one 32-bit hash: enough
 * for start times and durations in minutes at half the hashing cost.
 *
 * @example
 * const [u, v] = splitUnit(hash32(seed, channel, day));
 */
export function splitUnit(hash: number): [number, number] {
  return [(hash & 0xffff) / 65_536, (hash >>> 16) / 65_536];
}

/**
 * A mulberry32 generator: a sequence of uniform values in [0, 1) reproducible from `seed`.
 *
 * @example
 * const next = mulberry32(1);
 * next(); // 0.6270739405881613
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Picks an index from cumulative weights (ascending, last = total) with a uniform `u` in [0, 1).
 *
 * @example
 * pickCumulative([0.5, 0.8, 1], 0.6); // 1
 */
export function pickCumulative(cumulative: readonly number[], u: number): number {
  const target = u * cumulative[cumulative.length - 1]!;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (cumulative[mid]! > target) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * Running sums of `weights`, for {@link pickCumulative}.
 *
 * @example
 * cumulativeOf([1, 2, 1]); // [1, 3, 4]
 */
export function cumulativeOf(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((weight) => {
    sum += weight;
    return sum;
  });
}
