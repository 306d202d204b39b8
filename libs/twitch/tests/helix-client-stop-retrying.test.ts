import { afterEach, describe, expect, it } from 'vitest';
import { HelixClient, HelixRequestError } from '../src/index';
import { CLIENT_ID, CLIENT_SECRET, type ScriptedHelix, startScriptedHelix } from './support/scripted-helix';

let helix: ScriptedHelix | undefined;

afterEach(async () => {
  await helix?.close();
  helix = undefined;
});

/** Backoffs long enough that a crawl waiting them out could not end within the assertions' bound. */
const slowRetries = { backoffBaseMs: 5_000, backoffMaxMs: 5_000, requestTimeoutMs: 2_000 };

const unavailable = { status: 503, body: JSON.stringify({ error: 'Service Unavailable', status: 503, message: 'try later' }) };

describe('HelixClient asked to stop retrying', () => {
  it('ends a failing crawl at once with the error it met, instead of waiting out its backoffs', async () => {
    // prepare: every page fails; the stop comes as the first failure's backoff begins (its warning)
    helix = await startScriptedHelix({ perLanguage: 10 });
    helix.script = () => unavailable;
    const stop = new AbortController();
    const logger = { debug: () => {}, info: () => {}, warn: () => stop.abort() };
    const client = new HelixClient({ apiUrl: helix.apiUrl, authUrl: helix.authUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, retry: slowRetries, logger });
    const startedAt = Date.now();

    // act
    const error = await client.crawlStreams({ languages: ['pt'], stopRetrying: stop.signal }).catch((caught: unknown) => caught);

    // assess
    expect(error).toBeInstanceOf(HelixRequestError);
    expect((error as HelixRequestError).status).toBe(503);
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    expect(helix.requests).toHaveLength(1);
  });

  it('lets a crawl whose calls succeed finish', async () => {
    // prepare
    helix = await startScriptedHelix({ perLanguage: 250 });
    const stop = new AbortController();
    stop.abort();
    const client = new HelixClient({ apiUrl: helix.apiUrl, authUrl: helix.authUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, retry: slowRetries });

    // act
    const result = await client.crawlStreams({ languages: ['pt'], stopRetrying: stop.signal });

    // assess
    expect(result.records).toHaveLength(250);
  });
});
