import { type HelixSimulator, startHelixSimulator } from '@twitch-pipeline/helix-simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { HelixClient, HelixRequestError } from '../src/index';
import { CLIENT_ID, CLIENT_SECRET, type ScriptedHelix, startScriptedHelix } from './support/scripted-helix';

// Answers that are not plain failures: what a crawl makes of a body it cannot use, of a last
// page spelled another way, of a proxy's 4xx page, and of the OAuth endpoint's own error body.
let helix: ScriptedHelix | undefined;
let sim: HelixSimulator | undefined;

afterEach(async () => {
  await helix?.close();
  await sim?.close();
  helix = undefined;
  sim = undefined;
});

const fastRetries = { backoffBaseMs: 5, backoffMaxMs: 20, requestTimeoutMs: 500 };

function clientFor(server: ScriptedHelix): HelixClient {
  return new HelixClient({ apiUrl: server.apiUrl, authUrl: server.authUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, retry: fastRetries });
}

describe('HelixClient answers', () => {
  it.each([
    ['a JSON body without data', { error: 'x' }],
    ['data: null', { data: null }],
  ])('retries a 200 page holding %s, like a failed request, and loses no stream', async (_, body) => {
    // Prepare
    helix = await startScriptedHelix({ perLanguage: 250 });
    helix.script = (request) => (request.index === 1 ? { status: 200, body: JSON.stringify(body) } : undefined);

    // Act
    const result = await clientFor(helix).crawlStreams({ languages: ['pt'] });

    // Assess
    expect(result.records).toHaveLength(250);
    expect(result.retries).toBe(1);
  });

  it.each([
    ['an empty cursor', { cursor: '' }],
    ['a null cursor', { cursor: null }],
    ['null pagination', null],
  ])('ends the listing at a last page with %s', async (_, pagination) => {
    // Prepare: 30 streams, one page, whose pagination is spelled otherwise
    helix = await startScriptedHelix({ perLanguage: 30 });
    helix.script = (request) => {
      if (request.index !== 0) return undefined;
      return { status: 200, body: JSON.stringify({ data: Array.from({ length: 30 }, (_, rank) => ({ id: String(rank), language: 'pt' })), pagination }) };
    };

    // Act
    const result = await clientFor(helix).crawlStreams({ languages: ['pt'] });

    // Assess
    expect(result.records).toHaveLength(30);
    expect(helix.requests).toHaveLength(1);
  });

  it('refuses at once, without retrying, a 4xx page that is not JSON', async () => {
    // Prepare: a CDN's or a wrong TWITCH_API_URL's HTML page
    helix = await startScriptedHelix({ perLanguage: 30 });
    helix.script = () => ({ status: 404, body: '<html><body>Not Found</body></html>', headers: { 'content-type': 'text/html' } });

    // Act
    const error = await clientFor(helix)
      .crawlStreams({ languages: ['pt'] })
      .catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(HelixRequestError);
    expect((error as HelixRequestError).kind).toBe('client');
    expect((error as Error).message).toMatch(/GET \/streams failed with 404: a non-JSON response \(text\/html\)/);
    expect(helix.requests).toHaveLength(1);
  });

  it.each([
    ['client secret', { clientSecret: 'wrongsecretvalue123' }, /refused by 127\.0\.0\.1:\d+ \(403\): invalid client secret/],
    ['client id', { clientId: 'wrongclientid' }, /refused by 127\.0\.0\.1:\d+ \(400\): invalid client/],
  ])("names the token endpoint's reason for a wrong %s, never the secret", async (_, wrong, reason) => {
    // Prepare: id.twitch.tv answers { status, message } with no `error` field, as the simulator does
    sim = await startHelixSimulator({ seed: 3, averageLiveChannels: 200, startTime: new Date('2026-12-06T00:00:00Z') });
    const client = new HelixClient({ apiUrl: sim.apiUrl, authUrl: sim.authUrl, ...sim.credentials, ...wrong, retry: fastRetries });

    // Act
    const error = await client.crawlStreams({ languages: ['pt'] }).catch((caught: unknown) => caught);

    // Assess
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).not.toContain('wrongsecretvalue123');
  });
});
