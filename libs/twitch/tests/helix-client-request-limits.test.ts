import { afterEach, describe, expect, it } from 'vitest';
import { HelixRequestError } from '../src/index';
import { type ScriptedHelix, scriptedClient, startScriptedHelix } from './support/scripted-helix';

let helix: ScriptedHelix | undefined;

afterEach(async () => {
  await helix?.close();
  helix = undefined;
});

const clientFor = (server: ScriptedHelix, extra: Parameters<typeof scriptedClient>[1] = {}) => scriptedClient(server, extra, 500);

describe('HelixClient requests it cannot send', () => {
  it('fails at once, without echoing the value, on a client id that is no valid header value', async () => {
    // prepare
    helix = await startScriptedHelix({ perLanguage: 10 });
    const client = clientFor(helix, { clientId: 'cid\nline2' });

    // act
    const error = await client.crawlStreams({ languages: ['pt'] }).catch((caught: unknown) => caught);

    // assess
    expect(error).toBeInstanceOf(HelixRequestError);
    expect(error).toMatchObject({ kind: 'invalid-request', retryable: false });
    expect((error as Error).message).toMatch(/GET \/streams was not sent: the Client-Id header value is not a valid HTTP header value/);
    expect((error as Error).message).not.toContain('line2');
    expect(helix.requests).toHaveLength(0);
  });
});

describe('HelixClient response size limit', () => {
  it('stops reading a body over the limit and fails without retrying', async () => {
    // prepare: a valid page padded past a 256 kB limit, sent chunked so no Content-Length gives it away
    helix = await startScriptedHelix({ perLanguage: 10 });
    const padded = JSON.stringify({ data: [], pagination: {}, padding: 'x'.repeat(2 * 1024 * 1024) });
    helix.script = () => ({ status: 200, body: padded });
    const client = clientFor(helix, { retry: { requestTimeoutMs: 5000, maxResponseBytes: 256 * 1024 } });

    // act
    const error = await client.crawlStreams({ languages: ['pt'] }).catch((caught: unknown) => caught);

    // assess
    expect(error).toBeInstanceOf(HelixRequestError);
    expect(error).toMatchObject({ kind: 'too-large', retryable: false, status: 200 });
    expect((error as Error).message).toMatch(/^GET \/streams returned a body over the response size limit of 256 kB \(reading stopped after/);
    expect(helix.requests).toHaveLength(1);
  });

  it('refuses a body whose Content-Length is over the limit before reading it', async () => {
    // prepare: the server announces 600 MiB and never sends them; the default limit applies
    helix = await startScriptedHelix({ perLanguage: 10 });
    helix.script = () => ({ status: 200, body: '{"data":[', headers: { 'content-length': String(600 * 1024 * 1024) } });
    const started = Date.now();

    // act
    const error = await clientFor(helix).crawlStreams({ languages: ['pt'] }).catch((caught: unknown) => caught);

    // assess
    expect(error).toMatchObject({ kind: 'too-large' });
    expect((error as Error).message).toContain('over the response size limit of 8 MiB (Content-Length 600 MiB, status 200); it is not retried');
    expect(helix.requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(400);
  });

  it('reads a body under a smaller configured limit as usual', async () => {
    // prepare
    helix = await startScriptedHelix({ perLanguage: 150 });

    // act
    const result = await clientFor(helix, { retry: { maxResponseBytes: 512 * 1024 } }).crawlStreams({ languages: ['pt'] });

    // assess
    expect(result.records).toHaveLength(150);
  });
});
