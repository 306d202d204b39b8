import { afterEach, describe, expect, it } from 'vitest';
import { HelixClient, HelixRequestError } from '../src/index';
import { CLIENT_ID, CLIENT_SECRET, type ScriptedHelix, scriptedClient, startScriptedHelix } from './support/scripted-helix';

let helix: ScriptedHelix | undefined;

afterEach(async () => {
  await helix?.close();
  helix = undefined;
});

const fastRetries = { backoffBaseMs: 5, backoffMaxMs: 20, requestTimeoutMs: 500 };

const clientFor = (server: ScriptedHelix, extra: Parameters<typeof scriptedClient>[1] = {}) => scriptedClient(server, extra, 500);

const unauthorized = { status: 401, body: JSON.stringify({ error: 'Unauthorized', status: 401, message: 'Invalid OAuth token' }) };

describe('HelixClient faults', () => {
  it('renews the token once on a 401 and repeats the call', async () => {
    // prepare
    helix = await startScriptedHelix({ perLanguage: 250 });
    helix.script = (request) => (request.authorization === 'Bearer token-1' && request.after !== null ? unauthorized : undefined);
    const client = clientFor(helix);

    // act
    const result = await client.crawlStreams({ languages: ['pt'] });

    // assess
    expect(result.records).toHaveLength(250);
    expect(helix.tokenRequests).toHaveLength(2);
    expect(client.tokensIssued).toBe(2);
    expect(helix.tokenRequests[0]).toContain('grant_type=client_credentials');
  });

  it('fails clearly, without the secret, when the token is refused even after renewal', async () => {
    // prepare
    helix = await startScriptedHelix({ perLanguage: 10 });
    helix.script = () => unauthorized;
    const client = clientFor(helix);

    // act
    const error = await client.crawlStreams({ languages: ['pt'] }).catch((caught: unknown) => caught);

    // assess
    expect(error).toBeInstanceOf(HelixRequestError);
    expect((error as Error).message).toMatch(/401.*refused even after renewing/);
    expect((error as Error).message).not.toContain(CLIENT_SECRET);
    expect(helix.tokenRequests).toHaveLength(2);
  });

  it('retries 5xx, 429 and timeouts and loses no page', async () => {
    // prepare: the first try of every page fails, in turn with 500, 429, a timeout and 503
    helix = await startScriptedHelix({ perLanguage: 400 });
    const seenPages = new Set<string>();
    const faults = [
      { status: 500, body: JSON.stringify({ error: 'Internal Server Error', status: 500 }) },
      { status: 429, body: JSON.stringify({ error: 'Too Many Requests', status: 429, message: 'slow down' }) },
      { status: 200, body: '{"data":[]}', delayMs: 1500 },
      { status: 503, body: 'Service Unavailable' },
    ];
    helix.script = (request) => {
      const page = request.after ?? 'first';
      if (seenPages.has(page)) return undefined;
      seenPages.add(page);
      return faults[(seenPages.size - 1) % faults.length];
    };
    const client = clientFor(helix);

    // act
    const result = await client.crawlStreams({ languages: ['pt'] });

    // assess
    expect(result.records).toHaveLength(400);
    expect(result.retries).toBe(4);
    expect(result.rateLimited).toBe(1);
    expect(result.pages).toBe(4);
    expect(result.requests).toBe(8);
  });

  it('retries an HTML error page, then fails with a clear error', async () => {
    // prepare
    helix = await startScriptedHelix({ perLanguage: 250 });
    helix.script = (request) =>
      request.after !== null
        ? { status: 200, body: '<html><body>Bad gateway</body></html>', headers: { 'content-type': 'text/html' } }
        : undefined;
    const client = clientFor(helix, { retry: { ...fastRetries, maxRetries: 3 } });

    // act
    const error = await client.crawlStreams({ languages: ['pt'] }).catch((caught: unknown) => caught);

    // assess
    expect(error).toBeInstanceOf(HelixRequestError);
    expect((error as HelixRequestError).kind).toBe('not-json');
    expect((error as Error).message).toMatch(/GET \/streams failed after 4 attempts.*non-JSON response \(status 200, text\/html\)/);
    expect(helix.requests.filter((r) => r.after !== null)).toHaveLength(4);
  });

  it('keeps the tally of a crawl that fails, since its error carries no counts', async () => {
    // prepare: the first page arrives, every later one is a 429 until the retries run out
    helix = await startScriptedHelix({ perLanguage: 250 });
    helix.script = (request) =>
      request.after !== null ? { status: 429, body: JSON.stringify({ error: 'Too Many Requests', status: 429, message: 'slow down' }) } : undefined;
    const client = clientFor(helix, { retry: { ...fastRetries, maxRetries: 3 } });
    const tally = { pages: 0, requests: 0, retries: 0, rateLimited: 0, restarts: 0 };

    // act
    const error = await client.crawlStreams({ languages: ['pt'], tally }).catch((caught: unknown) => caught);

    // assess: one page, then four tries of the second, three of them retries
    expect(error).toBeInstanceOf(HelixRequestError);
    expect(tally).toEqual({ pages: 1, requests: 5, retries: 3, rateLimited: 4, restarts: 0 });
  });

  it('scrubs the secret from a refused token request', async () => {
    // prepare: an OAuth server that echoes what it was sent
    helix = await startScriptedHelix({ perLanguage: 10 });
    const client = new HelixClient({
      apiUrl: helix.apiUrl,
      authUrl: `${helix.apiUrl}/echo-oauth`,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      retry: fastRetries,
      fetch: async (input, init) =>
        String(input).includes('echo-oauth')
          ? new Response(JSON.stringify({ status: 403, error: 'Forbidden', message: `invalid client secret ${String(init?.body)}` }), { status: 403 })
          : fetch(input, init),
    });

    // act
    const error = await client.crawlStreams({ languages: ['pt'] }).catch((caught: unknown) => caught);

    // assess
    expect((error as Error).message).toMatch(/POST \/helix\/echo-oauth\/token was refused by 127\.0\.0\.1:\d+ \(403\)/);
    expect((error as Error).message).not.toContain(CLIENT_SECRET);
  });

  it('stops the other languages as soon as one fails for good', async () => {
    // prepare: pt's second page is forbidden; en and es have ten pages each
    helix = await startScriptedHelix({ perLanguage: 1000 });
    helix.script = (request) =>
      request.language === 'pt' && request.after !== null
        ? { status: 403, body: JSON.stringify({ error: 'Forbidden', status: 403, message: 'missing scope' }) }
        : undefined;
    const client = clientFor(helix);

    // act
    const crawl = client.crawlStreams({ languages: ['pt', 'en', 'es'] });

    // assess
    await expect(crawl).rejects.toThrow('GET /streams failed with 403: missing scope');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(helix.requests.length).toBeLessThan(12);
  });

  it('paces concurrent crawls by the Ratelimit headers across several windows with no 429', async () => {
    // prepare: 10 points a second; 3 languages x 10 pages need 3 windows or more
    helix = await startScriptedHelix({ perLanguage: 1000, rateLimit: { points: 10, windowMs: 1000 } });
    const client = clientFor(helix, { retry: { requestTimeoutMs: 5000 } });

    // act
    const result = await client.crawlStreams({ languages: ['pt', 'en', 'es'] });

    // assess
    expect(result.records).toHaveLength(3000);
    expect(result.rateLimited).toBe(0);
    expect(result.pages).toBe(30);
  });

  it('does not stall concurrent crawls when a server sends no Ratelimit headers', async () => {
    // prepare
    helix = await startScriptedHelix({ perLanguage: 300 });
    const client = clientFor(helix);

    // act
    const result = await client.crawlStreams({ languages: ['pt', 'en', 'es'] });

    // assess
    expect(result.records).toHaveLength(900);
    expect(result.pages).toBe(9);
  });
});
