import { afterEach, describe, expect, it } from 'vitest';
import { type HelixLogger, parseRateLimitHeaders } from '../src/index';
import { type ScriptedHelix, scriptedClient, startScriptedHelix } from './support/scripted-helix';

let helix: ScriptedHelix | undefined;

afterEach(async () => {
  await helix?.close();
  helix = undefined;
});

const clientFor = (server: ScriptedHelix, extra: Parameters<typeof scriptedClient>[1] = {}) => scriptedClient(server, extra, 5000);

function recordingLogger(): HelixLogger & { warnings: Record<string, unknown>[] } {
  const warnings: Record<string, unknown>[] = [];
  return {
    warnings,
    debug: () => undefined,
    info: () => undefined,
    warn: (message, ...extra) => warnings.push(Object.assign({ message }, ...extra)),
  };
}

describe('rate limiting against a server whose clock is off', () => {
  it.each([
    ['40 s ahead of the local clock', 40_000],
    ['40 s behind the local clock', -40_000],
  ])('paces by the server clock when it is %s, with no 429 and no give-up', async (_, clockSkewMs) => {
    // prepare: 10 points a second; 3 languages x 5 pages need 2 windows or more. A wait over
    // 5 s means the reset was read on the wrong clock (a 1-s window looking 41 s ahead). No
    // margin after the reset: the Date header alone must keep the waits long enough.
    helix = await startScriptedHelix({ perLanguage: 500, rateLimit: { points: 10, windowMs: 1000 }, clockSkewMs });
    const client = clientFor(helix, { pacing: { maxWaitMs: 5000, resetMarginMs: 0 } });

    // act
    const result = await client.crawlStreams({ languages: ['pt', 'en', 'es'] });

    // assess
    expect(result.records).toHaveLength(1500);
    expect(result.rateLimited).toBe(0);
    expect(result.pages).toBe(15);
  });

  it('reads Ratelimit-Reset against the Date header, erring late by the Date header whole seconds', () => {
    // prepare: the server stamps 21:00:00 (its true time 21:00:00.900); the local clock is 40 s slow
    const serverNow = Date.parse('2026-11-29T21:00:00Z');
    const localNow = serverNow + 900 - 40_000;
    const headers = (date: string) =>
      new Headers({ date, 'ratelimit-limit': '800', 'ratelimit-remaining': '0', 'ratelimit-reset': String(serverNow / 1000 + 60) });

    // act
    const skewed = parseRateLimitHeaders(headers(new Date(serverNow).toUTCString()), localNow);
    const garbled = parseRateLimitHeaders(headers('yesterday-ish'), localNow);

    // assess: the true reset is 59.1 s ahead locally; never earlier, at most the Date's second later
    expect(skewed?.resetAtMs).toBe(localNow + 60_000);
    expect(skewed && skewed.resetAtMs - localNow).toBeGreaterThanOrEqual(59_100);
    expect(garbled?.resetAtMs).toBe(serverNow + 60_000);
  });
});

describe('retry warnings after a 429', () => {
  it('state the wait actually taken until the announced reset, not the backoff alone', async () => {
    // prepare: the first call is refused with a reset a second or two ahead
    helix = await startScriptedHelix({ perLanguage: 50 });
    const arrivals: number[] = [];
    helix.script = (request) => {
      arrivals.push(Date.now());
      if (request.index > 0) return undefined;
      return {
        status: 429,
        body: JSON.stringify({ error: 'Too Many Requests', status: 429, message: 'rate limit exceeded' }),
        headers: { 'ratelimit-limit': '800', 'ratelimit-remaining': '0', 'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1) },
      };
    };
    const recorded = recordingLogger();
    // The wait is measured from the warning, when the client chose it: from the first arrival it
    // would also count the 429's trip back and its handling, hundreds of ms on a busy machine.
    let warnedAt = 0;
    const logger: HelixLogger = {
      ...recorded,
      warn: (message, ...extra) => {
        warnedAt = Date.now();
        recorded.warn(message, ...extra);
      },
    };
    const client = clientFor(helix, { logger, pacing: { resetMarginMs: 0 } });

    // act
    const result = await client.crawlStreams({ languages: ['pt'] });

    // assess
    expect(result.rateLimited).toBe(1);
    const [warning] = recorded.warnings;
    expect(warning).toMatchObject({ message: 'Helix call failed; retrying', kind: 'rate-limited', status: 429 });
    const delayMs = warning?.delayMs as number;
    const waitedMs = (arrivals[1] ?? 0) - warnedAt;
    expect(delayMs).toBeGreaterThan(500);
    expect(waitedMs).toBeGreaterThanOrEqual(delayMs - 5);
    expect(waitedMs - delayMs).toBeLessThan(300);
  });
});
