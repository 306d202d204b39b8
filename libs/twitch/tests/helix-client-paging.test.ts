import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HelixClient } from '../src/index';
import { CLIENT_ID, CLIENT_SECRET, type ScriptedHelix, startScriptedHelix, streamRecord } from './support/scripted-helix';

let helix: ScriptedHelix;

function clientFor(server: ScriptedHelix, extra: Partial<ConstructorParameters<typeof HelixClient>[0]> = {}) {
  return new HelixClient({ apiUrl: server.apiUrl, authUrl: server.authUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...extra });
}

function idsOf(records: { record: unknown }[]): string[] {
  return records.map(({ record }) => (record as { id: string }).id);
}

beforeEach(async () => {
  helix = await startScriptedHelix({ perLanguage: 250 });
});

afterEach(async () => {
  await helix.close();
});

describe('HelixClient paging', () => {
  it('crawls every language concurrently to the last page, 100 a page, with Client-Id and bearer token', async () => {
    // prepare
    const client = clientFor(helix);

    // act
    const result = await client.crawlStreams({ languages: ['pt', 'en', 'es'] });

    // assess
    expect(result.records).toHaveLength(750);
    expect(new Set(idsOf(result.records)).size).toBe(750);
    expect(result.pages).toBe(9);
    expect(result.records.filter((r) => r.queryLanguage === 'en')).toHaveLength(250);
    expect(helix.requests.every((r) => r.first === '100' && r.clientId === CLIENT_ID && r.authorization === 'Bearer token-1')).toBe(true);
    expect(helix.requests.filter((r) => r.after === null).map((r) => r.language).sort()).toEqual(['en', 'es', 'pt']);
    expect(helix.tokenRequests).toHaveLength(1);
  });

  it('crawls without a language filter for "all"', async () => {
    // prepare
    const client = clientFor(helix);

    // act
    const result = await client.crawlStreams({ languages: ['all'] });

    // assess
    expect(result.records).toHaveLength(750);
    expect(result.records.every((r) => r.queryLanguage === 'all')).toBe(true);
    expect(helix.requests.every((r) => r.language === null)).toBe(true);
  });

  it('stops a language at its cap', async () => {
    // prepare
    const client = clientFor(helix);

    // act
    const result = await client.crawlStreams({ languages: ['pt', 'es'], maxPerLanguage: 120 });

    // assess
    expect(result.records.filter((r) => r.queryLanguage === 'pt')).toHaveLength(120);
    expect(result.records.filter((r) => r.queryLanguage === 'es')).toHaveLength(120);
    expect(result.pages).toBe(4);
  });

  it('keeps streams repeated at a page boundary once', async () => {
    // prepare: the second page starts with the last 5 streams of the first (list drift)
    helix.script = (request) => {
      if (request.language !== 'pt' || request.after === null) return undefined;
      const offset = Number(Buffer.from(request.after, 'base64url').toString());
      const data = Array.from({ length: 100 }, (_, i) => offset - 5 + i).filter((rank) => rank < 250).map((rank) => streamRecord('pt', rank));
      const next = offset + 95 < 250 ? Buffer.from(String(offset + 95)).toString('base64url') : undefined;
      return { status: 200, body: JSON.stringify({ data, pagination: next ? { cursor: next } : {} }) };
    };
    const client = clientFor(helix);

    // act
    const result = await client.crawlStreams({ languages: ['pt'] });

    // assess
    expect(result.records).toHaveLength(250);
    expect(new Set(idsOf(result.records)).size).toBe(250);
  });

  it('stops on an empty page after a cursor', async () => {
    // prepare: the last page still carries a cursor, which leads to an empty page
    helix.script = (request) =>
      request.after === Buffer.from('200').toString('base64url')
        ? { status: 200, body: JSON.stringify({ data: [streamRecord('pt', 200)], pagination: { cursor: 'dGhlLWVuZA' } }) }
        : request.after === 'dGhlLWVuZA'
          ? { status: 200, body: JSON.stringify({ data: [], pagination: {} }) }
          : undefined;
    const client = clientFor(helix);

    // act
    const result = await client.crawlStreams({ languages: ['pt'] });

    // assess
    expect(result.records).toHaveLength(201);
    expect(result.pages).toBe(4);
  });

  it('stops when the last cursor loops back to the first page', async () => {
    // prepare
    helix.script = (request) =>
      request.after === Buffer.from('200').toString('base64url')
        ? { status: 200, body: JSON.stringify({ data: [streamRecord('pt', 200)], pagination: { cursor: Buffer.from('0').toString('base64url') } }) }
        : undefined;
    const client = clientFor(helix);

    // act
    const result = await client.crawlStreams({ languages: ['pt'] });

    // assess
    expect(result.records).toHaveLength(201);
    expect(result.pages).toBe(4);
  });

  it('crawls on past the top stream when it sinks to a later page mid-crawl (its audience left)', async () => {
    // prepare: the second page holds the first page's top stream, then ranks 100-198
    helix.script = (request) => {
      if (request.after !== Buffer.from('100').toString('base64url')) return undefined;
      const data = [streamRecord('pt', 0), ...Array.from({ length: 99 }, (_, i) => streamRecord('pt', 100 + i))];
      return { status: 200, body: JSON.stringify({ data, pagination: { cursor: Buffer.from('199').toString('base64url') } }) };
    };
    const client = clientFor(helix);

    // act
    const result = await client.crawlStreams({ languages: ['pt'] });

    // assess
    expect(result.records).toHaveLength(250);
    expect(new Set(idsOf(result.records)).size).toBe(250);
  });

  it('stops when a cursor loops back to a first page topped by streams that went live meanwhile', async () => {
    // prepare: after rank 200 comes the first page again, under two new streams
    helix.script = (request) => {
      if (request.after !== Buffer.from('200').toString('base64url')) return undefined;
      const fresh = [{ ...streamRecord('pt', 0), id: 'novo-1' }, { ...streamRecord('pt', 0), id: 'novo-2' }];
      const data = [...fresh, ...Array.from({ length: 98 }, (_, i) => streamRecord('pt', i))];
      return { status: 200, body: JSON.stringify({ data, pagination: { cursor: Buffer.from('98').toString('base64url') } }) };
    };
    const client = clientFor(helix);

    // act
    const result = await client.crawlStreams({ languages: ['pt'] });

    // assess: the two new streams are kept, and the loop ends the language
    expect(result.records).toHaveLength(202);
    expect(result.pages).toBe(3);
  });

  it('stops a language whose cursors never end at the page cap and fails the crawl as incomplete', async () => {
    // prepare: every page is new and always has a next cursor
    let counter = 0;
    helix.script = () => {
      counter += 1;
      return { status: 200, body: JSON.stringify({ data: [streamRecord('pt', counter)], pagination: { cursor: `c${counter}` } }) };
    };
    const client = clientFor(helix, { maxPagesPerLanguage: 7 });

    // act
    const outcome = client.crawlStreams({ languages: ['pt'] });

    // assess
    await expect(outcome).rejects.toMatchObject({ kind: 'incomplete' });
    expect(helix.requests).toHaveLength(7);
  });

  it('restarts a language from the top on 400 invalid cursor and keeps each stream once', async () => {
    // prepare: the first request for the third page is refused
    let refused = false;
    helix.script = (request) => {
      if (request.after !== Buffer.from('200').toString('base64url') || refused) return undefined;
      refused = true;
      return { status: 400, body: JSON.stringify({ error: 'Bad Request', status: 400, message: 'invalid cursor' }) };
    };
    const client = clientFor(helix);

    // act
    const result = await client.crawlStreams({ languages: ['pt'] });

    // assess
    expect(result.restarts).toBe(1);
    expect(result.records).toHaveLength(250);
    expect(new Set(idsOf(result.records)).size).toBe(250);
    expect(helix.requests.filter((r) => r.after === null)).toHaveLength(2);
  });

  it('gives up after a bounded number of restarts', async () => {
    // prepare
    helix.script = (request) =>
      request.after ? { status: 400, body: JSON.stringify({ error: 'Bad Request', status: 400, message: 'invalid cursor' }) } : undefined;
    const client = clientFor(helix, { maxRestartsPerLanguage: 2 });

    // act
    const crawl = client.crawlStreams({ languages: ['pt'] });

    // assess
    await expect(crawl).rejects.toThrow(/invalid cursor.*gave up after 2 restarts/);
    expect(helix.requests.filter((r) => r.after === null)).toHaveLength(3);
  });

  it('never reuses a cursor across crawls', async () => {
    // prepare
    const client = clientFor(helix);
    await client.crawlStreams({ languages: ['pt'] });
    const firstCrawlRequests = helix.requests.length;

    // act
    await client.crawlStreams({ languages: ['pt'] });

    // assess
    expect(helix.requests[firstCrawlRequests]?.after).toBeNull();
  });
});
