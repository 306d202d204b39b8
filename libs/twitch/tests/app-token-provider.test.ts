import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppTokenProvider, fullJitterDelay, parseRateLimitHeaders } from '../src/index';
import { CLIENT_ID, CLIENT_SECRET, type ScriptedHelix, startScriptedHelix } from './support/scripted-helix';

let helix: ScriptedHelix;

beforeEach(async () => {
  helix = await startScriptedHelix({ perLanguage: 1 });
});

afterEach(async () => {
  await helix.close();
});

describe('AppTokenProvider', () => {
  it('caches the token and shares one request between concurrent callers', async () => {
    // prepare
    const tokens = new AppTokenProvider({ authUrl: helix.authUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });

    // act
    const values = await Promise.all([tokens.token(), tokens.token(), tokens.token()]);
    const later = await tokens.token();

    // assess
    expect(new Set([...values, later])).toEqual(new Set(['token-1']));
    expect(helix.tokenRequests).toHaveLength(1);
    const form = new URLSearchParams(helix.tokenRequests[0]);
    expect(Object.fromEntries(form)).toEqual({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, grant_type: 'client_credentials' });
  });

  it('renews the token before it expires', async () => {
    // prepare: the scripted tokens live 3600 s; renewal is due five minutes before expiry
    let now = Date.parse('2026-11-29T21:00:00Z');
    const tokens = new AppTokenProvider({ authUrl: helix.authUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, now: () => now });
    const first = await tokens.token();

    // act
    now += 3299_000;
    const stillFirst = await tokens.token();
    now += 2_000;
    const renewed = await tokens.token();

    // assess
    expect([first, stillFirst, renewed]).toEqual(['token-1', 'token-1', 'token-2']);
    expect(tokens.tokensIssued).toBe(2);
  });

  it('asks again after an invalidated token, but ignores an already replaced one', async () => {
    // prepare
    const tokens = new AppTokenProvider({ authUrl: helix.authUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const first = await tokens.token();

    // act
    tokens.invalidate(first);
    const second = await tokens.token();
    tokens.invalidate(first);
    const stillSecond = await tokens.token();

    // assess
    expect([first, second, stillSecond]).toEqual(['token-1', 'token-2', 'token-2']);
  });
  it('names why the token endpoint could not be reached, not just that fetch failed', async () => {
    // prepare: a port that was just free, so nothing answers on it
    const closed = await startScriptedHelix({ perLanguage: 1 });
    const authUrl = closed.authUrl;
    await closed.close();
    const tokens = new AppTokenProvider({ authUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, maxAttempts: 1 });

    // act
    const failure = await tokens.token().catch((error: unknown) => error as Error);

    // assess
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/^POST \/oauth2\/token network error \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/);
    expect((failure as Error).message).not.toContain(CLIENT_SECRET);
  });
  it('accepts the full token endpoint as the OAuth base, as Twitch documents it', async () => {
    // prepare
    const tokens = new AppTokenProvider({ authUrl: `${helix.authUrl}/token/`, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, maxAttempts: 1 });

    // act
    const token = await tokens.token();

    // assess
    expect(token).toBe('token-1');
    expect(helix.tokenRequests).toHaveLength(1);
  });

  it('names the path and host actually asked when the token endpoint answers with something else', async () => {
    // prepare: a base that is not an OAuth endpoint at all; the scripted server answers it with a Helix page
    const origin = new URL(helix.authUrl).origin;
    const tokens = new AppTokenProvider({ authUrl: `${origin}/oauth2/v2/?client_secret=${CLIENT_SECRET}`, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, maxAttempts: 1 });

    // act
    const failure = await tokens.token().catch((error: unknown) => error as Error);

    // assess
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/^POST \/oauth2\/v2\/token returned an unexpected body from 127\.0\.0\.1:\d+$/);
    expect((failure as Error).message).not.toContain(CLIENT_SECRET);
  });

  it('refuses a token response over the size limit without retrying it', async () => {
    // prepare: a token endpoint that announces 600 MiB
    helix.tokenScript = () => ({ status: 200, body: '{', headers: { 'content-length': String(600 * 1024 * 1024) } });
    const tokens = new AppTokenProvider({ authUrl: helix.authUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, requestTimeoutMs: 2000 });

    // act
    const failure = await tokens.token().catch((error: unknown) => error);

    // assess
    expect(failure).toMatchObject({ kind: 'too-large' });
    expect((failure as Error).message).toMatch(/^POST \/oauth2\/token returned a body over the response size limit of 8 MiB/);
    expect(helix.tokenRequests).toHaveLength(1);
  });

  it('warns on each retry of the token request, without the secret', async () => {
    // prepare: the first request hangs past the timeout, the second gets a 503 that echoes the form
    helix.tokenScript = (index) =>
      index === 0
        ? { status: 200, body: '{}', delayMs: 3_000 }
        : index === 1
          ? { status: 503, body: JSON.stringify({ status: 503, error: 'Service Unavailable', message: `upstream down for client_secret=${CLIENT_SECRET}` }) }
          : undefined;
    const warnings: Record<string, unknown>[] = [];
    const logger = { debug: () => undefined, info: () => undefined, warn: (message: string, extra?: Record<string, unknown>) => warnings.push({ message, ...extra }) };
    // The timeout applies to the second request too, which must get its 503: one local round trip,
    // which takes more than 100 ms on a busy machine, so the hung request outlasts a roomier one.
    const tokens = new AppTokenProvider({ authUrl: helix.authUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, requestTimeoutMs: 1_000, logger });

    // act
    const token = await tokens.token();

    // assess
    expect(token).toBe('token-1');
    expect(warnings).toMatchObject([
      { message: 'app token request failed; retrying', endpoint: 'POST /oauth2/token', attempt: 1, kind: 'timeout' },
      { message: 'app token request failed; retrying', endpoint: 'POST /oauth2/token', attempt: 2, kind: 'server', status: 503 },
    ]);
    expect(warnings[0]?.reason).toMatch(/timed out waiting for 127\.0\.0\.1:\d+/);
    expect(warnings[1]?.reason).toContain('upstream down for client_secret=[redacted]');
    expect(JSON.stringify(warnings)).not.toContain(CLIENT_SECRET);
  });
});

describe('rate-limit headers and backoff', () => {
  it('reads the Ratelimit headers, and nothing when one is missing', () => {
    // prepare
    const complete = new Headers({ 'Ratelimit-Limit': '800', 'Ratelimit-Remaining': '799', 'Ratelimit-Reset': '1796000000' });
    const partial = new Headers({ 'Ratelimit-Limit': '800' });

    // act
    const parsed = [parseRateLimitHeaders(complete), parseRateLimitHeaders(partial)];

    // assess
    expect(parsed).toEqual([{ limit: 800, remaining: 799, resetAtMs: 1_796_000_000_000 }, undefined]);
  });

  it('draws full-jitter delays within the exponential ceiling', () => {
    // prepare
    const options = { baseMs: 100, maxMs: 1000 };

    // act
    const lowest = [1, 2, 3, 6].map((attempt) => fullJitterDelay(attempt, options, () => 0));
    const highest = [1, 2, 3, 6].map((attempt) => fullJitterDelay(attempt, options, () => 0.999_999));

    // assess
    expect(lowest).toEqual([0, 0, 0, 0]);
    expect(highest).toEqual([99, 199, 399, 999]);
  });
});
