import { startHelixSimulator } from '@twitch-pipeline/helix-simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { echoedServerText } from '../src/helix-request-error';
import { HelixClient, HelixRequestError, parseRateLimitHeaders, redactTokens } from '../src/index';
import { CLIENT_SECRET, type ScriptedHelix, scriptedClient, startScriptedHelix } from './support/scripted-helix';

let helix: ScriptedHelix | undefined;

afterEach(async () => {
  await helix?.close();
  helix = undefined;
});

const clientFor = (server: ScriptedHelix, extra: Parameters<typeof scriptedClient>[1] = {}) => scriptedClient(server, extra, 2000);

const tooMany = (reset: number) => ({
  status: 429,
  body: JSON.stringify({ error: 'Too Many Requests', status: 429, message: 'rate limit exceeded' }),
  headers: { 'ratelimit-limit': '800', 'ratelimit-remaining': '0', 'ratelimit-reset': String(reset) },
});

describe('HelixClient bounded waits', () => {
  it('gives up at once with a clear error when a 429 announces a reset an hour ahead', async () => {
    // Prepare
    helix = await startScriptedHelix({ perLanguage: 250 });
    helix.script = () => tooMany(Math.ceil(Date.now() / 1000) + 3600);
    const started = Date.now();

    // Act
    const error = await clientFor(helix, { pacing: { maxWaitMs: 5000 } }).crawlStreams({ languages: ['pt'] }).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(HelixRequestError);
    expect(error).toMatchObject({ kind: 'rate-limit-wait' });
    expect((error as Error).message).toMatch(/reset at .* 360\d s ahead: more than the maximum wait of 5 s/);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(helix.requests.length).toBeLessThanOrEqual(2);
  });

  it('reads a Ratelimit-Reset sent in milliseconds as such, waits briefly, and completes', async () => {
    // Prepare: the first call is refused with a reset 300 ms ahead, given in epoch milliseconds.
    helix = await startScriptedHelix({ perLanguage: 150 });
    helix.script = (request) => (request.index === 0 ? tooMany(Date.now() + 300) : undefined);
    const started = Date.now();

    // Act
    const result = await clientFor(helix, { pacing: { maxWaitMs: 5000, resetMarginMs: 100 } }).crawlStreams({ languages: ['pt'] });

    // Assess
    expect(result.records).toHaveLength(150);
    expect(result.rateLimited).toBe(1);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(parseRateLimitHeaders(new Headers({ 'ratelimit-limit': '800', 'ratelimit-remaining': '1', 'ratelimit-reset': '1764600000123' }))?.resetAtMs).toBe(1764600000123);
    expect(parseRateLimitHeaders(new Headers({ 'ratelimit-limit': '800', 'ratelimit-remaining': '1', 'ratelimit-reset': '1764600000' }))?.resetAtMs).toBe(1764600000000);
  });

  it('stops waiting for a reset as soon as the caller aborts', async () => {
    // Prepare: a reset 60 s ahead is within the maximum wait, so only the abort ends it.
    helix = await startScriptedHelix({ perLanguage: 150 });
    helix.script = () => tooMany(Math.ceil(Date.now() / 1000) + 60);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cycle stopped')), 300);
    const started = Date.now();

    // Act
    const outcome = clientFor(helix).crawlStreams({ languages: ['pt'], signal: controller.signal });

    // Assess
    await expect(outcome).rejects.toThrow('cycle stopped');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('gives up on the simulator when its bucket only refills in an hour, instead of stalling', async () => {
    // Prepare: a 5-point bucket with a one-hour window; a full crawl needs far more pages.
    const simulator = await startHelixSimulator({ seed: 5, averageLiveChannels: 3000, startTime: new Date('2026-11-29T21:30:00Z'), rateLimit: { points: 5, windowMs: 3_600_000 } });
    const client = new HelixClient({ apiUrl: simulator.apiUrl, authUrl: simulator.authUrl, ...simulator.credentials, pacing: { maxWaitMs: 2000 } });
    const started = Date.now();

    // Act
    const error = await client.crawlStreams({ languages: ['pt', 'en', 'es'] }).catch((caught: unknown) => caught);
    await simulator.close();

    // Assess
    expect(error).toMatchObject({ kind: 'rate-limit-wait' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('fails a crawl whose listing goes on past the page cap instead of calling it complete', async () => {
    // Prepare
    helix = await startScriptedHelix({ perLanguage: 250 });

    // Act
    const error = await clientFor(helix, { maxPagesPerLanguage: 2 }).crawlStreams({ languages: ['pt'] }).catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({ kind: 'incomplete' });
    expect((error as Error).message).toMatch(/language "pt" still had a next page after the cap of 2 pages/);
    expect(helix.requests).toHaveLength(2);
  });
});

describe('HelixClient secrets in errors', () => {
  it('never puts the bearer token or the client secret an error body echoes into the message', async () => {
    // Prepare: a proxy that echoes the request headers and form back in its error message.
    helix = await startScriptedHelix({ perLanguage: 10 });
    helix.script = (request) => ({
      status: 400,
      body: JSON.stringify({ error: 'Bad Request', status: 400, message: `bad request; Authorization: ${request.authorization}; token ${request.authorization?.slice(7)}` }),
    });

    // Act
    const error = await clientFor(helix).crawlStreams({ languages: ['pt'] }).catch((caught: unknown) => caught);

    // Assess
    const message = (error as Error).message;
    expect(message).toMatch(/failed with 400: bad request; Authorization: Bearer \[redacted\]; token \[redacted\]/);
    expect(message).not.toMatch(/token-1/);
  });

  it('scrubs bearer tokens, token fields and given secrets from any text', () => {
    // act + assess
    expect(redactTokens('Authorization: Bearer abc.def-123 ok')).toBe('Authorization: Bearer [redacted] ok');
    expect(redactTokens('{"access_token":"xyz987","expires_in":5}')).toBe('{"access_token":"[redacted]","expires_in":5}');
    expect(redactTokens('client_secret=s3cr3t&grant_type=client_credentials')).toBe('client_secret=[redacted]&grant_type=client_credentials');
    expect(redactTokens(`echo ${CLIENT_SECRET}`, [CLIENT_SECRET])).toBe('echo [redacted]');
  });

  it('scrubs a given secret whole, whatever characters it holds and however an echo encodes it', () => {
    // prepare: the field patterns stop at these characters, so a value holding one must go by value
    const secret = 'sec-SENT,"}&TAIL é';
    const echoes = [
      `request {"client_secret":${JSON.stringify(secret)},"grant_type":"client_credentials"}`,
      `client_secret=${new URLSearchParams({ v: secret }).toString().slice(2)}&grant_type=client_credentials`,
      `got ${secret}`,
      `got ${encodeURIComponent(secret)}`,
    ];

    // act
    const scrubbed = echoes.map((text) => redactTokens(text, [secret]));

    // assess
    for (const text of scrubbed) expect(text).not.toMatch(/SENT|TAIL/);
    expect(scrubbed[0]).toBe('request {"client_secret":"[redacted]","grant_type":"client_credentials"}');
    expect(redactTokens('bad client_secret Z9q', ['Z9q'])).toBe('bad client_secret [redacted]');
  });

  it('scrubs a given secret however else an echo carries it: "/" escaped, escaped twice, percent-escapes in lower case, upper-cased', () => {
    // prepare
    const secret = 'ab/cd1234+secret';
    const echoes = [
      `{"echo":"ab\\/cd1234+secret"}`,
      JSON.stringify(JSON.stringify({ client_secret: secret })),
      `got ${encodeURIComponent(secret).toLowerCase()}`,
      `got ${secret.toUpperCase()}`,
    ];
    // act
    const scrubbed = echoes.map((text) => redactTokens(text, [secret]));
    // assess
    for (const text of scrubbed) expect(text).not.toMatch(/cd1234/i);
  });

  it("scrubs token fields in single quotes, camelCase or URL-encoded, and a bearer token after ':' or '%20'", () => {
    // prepare
    const texts = ["{'access_token': 'abc123def'}", '{"accessToken":"abc123def"}', 'q=access_token%3Dabc123def', 'Bearer: abc123def', 'Authorization=Bearer%20abc123def'];
    // act
    const scrubbed = texts.map((text) => redactTokens(text));
    // assess
    for (const text of scrubbed) expect(text).not.toContain('abc123def');
  });

  it("quotes a server's error text on one line, at most 300 characters, with credentials redacted", () => {
    // prepare
    const texts = ['invalid client\r\nFAKE: all good', `${'x'.repeat(400)} client_secret=s3cr3t`, 'token tok-4lpha-long in\u2028two'];

    // act
    const quoted = texts.map((text) => echoedServerText(text, ['tok-4lpha-long']));

    // assess
    expect(quoted[0]).toBe('invalid client FAKE: all good');
    expect(quoted[1]).toBe(`${'x'.repeat(300)}…`);
    expect(quoted[2]).toBe('token [redacted] in two');
  });

  it("keeps Twitch's own 401 messages readable while still scrubbing OAuth and bearer tokens", () => {
    // prepare
    const twitchToken = 'abcdefghijklmnopqrstuvwxyzabcd';
    const texts = [
      'Invalid OAuth token',
      'Client ID and OAuth token do not match',
      'OAuth token is missing',
      `Authorization: OAuth ${twitchToken}`,
      `Authorization: Bearer ${twitchToken}`,
      'oauth k3y9x2 in the query',
    ];

    // act
    const scrubbed = texts.map((text) => redactTokens(text));

    // assess
    expect(scrubbed).toEqual([
      'Invalid OAuth token',
      'Client ID and OAuth token do not match',
      'OAuth token is missing',
      'Authorization: OAuth [redacted]',
      'Authorization: Bearer [redacted]',
      'oauth [redacted] in the query',
    ]);
  });

  it("passes Twitch's 401 message through to the final error word for word", async () => {
    // prepare
    helix = await startScriptedHelix({ perLanguage: 10 });
    helix.script = () => ({ status: 401, body: JSON.stringify({ error: 'Unauthorized', status: 401, message: 'Client ID and OAuth token do not match' }) });

    // act
    const error = await clientFor(helix).crawlStreams({ languages: ['pt'] }).catch((caught: unknown) => caught);

    // assess
    expect((error as Error).message).toContain('failed with 401: Client ID and OAuth token do not match (the app token was refused');
  });
});
