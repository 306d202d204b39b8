import { once } from 'node:events';
import { connect } from 'node:net';
import {
  helixErrorSchema,
  helixGamesPageSchema,
  helixStreamSchema,
  helixStreamsPageSchema,
  oauthTokenResponseSchema,
} from '@twitch-pipeline/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HelixSimulator, startHelixSimulator } from '../src/index';
import { crawl, helixGet, requestToken } from './simulator-client';

const START = new Date('2026-03-10T23:00:00Z');

describe('Helix protocol', () => {
  let sim: HelixSimulator;
  let token: string;

  beforeAll(async () => {
    sim = await startHelixSimulator({ seed: 3, averageLiveChannels: 2_000, startTime: START });
    token = await requestToken(sim);
  });
  afterAll(async () => {
    await sim.close();
  });

  it('issues a bearer token through the client-credentials flow', async () => {
    // prepare
    const form = new URLSearchParams({
      client_id: sim.credentials.clientId,
      client_secret: sim.credentials.clientSecret,
      grant_type: 'client_credentials',
    });

    // act
    const response = await fetch(`${sim.authUrl}/token?${form}`, { method: 'POST' });

    // assess
    expect(response.status).toBe(200);
    const body = oauthTokenResponseSchema.parse(await response.json());
    expect(body.token_type).toBe('bearer');
    expect(body.expires_in).toBeGreaterThan(50 * 24 * 3600);
  });

  it('refuses an unknown client with 400 and a wrong secret with 403, without echoing the secret', async () => {
    // prepare
    const wrong = 'not-the-secret-value';
    const post = (clientId: string, clientSecret: string) =>
      fetch(`${sim.authUrl}/token`, {
        method: 'POST',
        body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret, grant_type: 'client_credentials' }),
      });

    // act
    const unknownClient = await post('someoneelse', sim.credentials.clientSecret);
    const wrongSecret = await post(sim.credentials.clientId, wrong);
    const wrongSecretText = await wrongSecret.text();

    // assess
    expect(unknownClient.status).toBe(400);
    expect(wrongSecret.status).toBe(403);
    expect(JSON.parse(wrongSecretText)).toEqual({ status: 403, message: 'invalid client secret' });
    expect(wrongSecretText).not.toContain(wrong);
  });

  it('validates tokens at /oauth2/validate', async () => {
    // act
    const valid = await fetch(`${sim.authUrl}/validate`, { headers: { Authorization: `OAuth ${token}` } });
    const invalid = await fetch(`${sim.authUrl}/validate`, { headers: { Authorization: 'OAuth nosuchtoken' } });

    // assess
    expect(valid.status).toBe(200);
    expect(await valid.json()).toMatchObject({ client_id: sim.credentials.clientId, scopes: [] });
    expect(invalid.status).toBe(401);
  });

  it('serves stream pages whose records parse with the Helix schemas', async () => {
    // act
    const response = await helixGet(sim, token, '/streams?first=100');

    // assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const page = helixStreamsPageSchema.parse(await response.json());
    expect(page.data).toHaveLength(100);
    expect(page.pagination.cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    for (const record of page.data) helixStreamSchema.parse(record);
  });

  it('orders streams by viewer_count descending, ties by id', async () => {
    // act
    const pages = await crawl(sim, token, 'first=100');

    // assess
    const streams = pages.flatMap((page) => page.data.map((record) => helixStreamSchema.parse(record)));
    expect(streams.length).toBe(sim.liveStreams().length);
    for (let index = 1; index < streams.length; index++) {
      const previous = streams[index - 1]!;
      const current = streams[index]!;
      expect(previous.viewer_count > current.viewer_count || (previous.viewer_count === current.viewer_count && Number(previous.id) < Number(current.id))).toBe(true);
    }
  });

  it('filters by language, game_id and user_login', async () => {
    // prepare
    const live = sim.liveStreams();
    const someone = live[7]!;

    // act
    const portuguese = (await crawl(sim, token, 'first=100&language=pt')).flatMap((page) => page.data);
    const justChatting = (await crawl(sim, token, 'first=100&game_id=509658')).flatMap((page) => page.data);
    const byLogin = (await crawl(sim, token, `user_login=${someone.user_login}`)).flatMap((page) => page.data);
    const byUserId = (await crawl(sim, token, `user_id=${someone.user_id}`)).flatMap((page) => page.data);

    // assess
    expect(portuguese.length).toBe(live.filter((stream) => stream.language === 'pt').length);
    expect(portuguese.every((record) => record.language === 'pt')).toBe(true);
    expect(justChatting.length).toBe(live.filter((stream) => stream.game_id === '509658').length);
    expect(byLogin).toEqual([someone]);
    expect(byUserId).toEqual([someone]);
  });

  it('serves categories with their igdb ids from /helix/games', async () => {
    // act
    const response = await helixGet(sim, token, '/games?id=509658&id=32399&name=VALORANT');

    // assess
    const page = helixGamesPageSchema.parse(await response.json());
    const byId = Object.fromEntries(page.data.map((game) => [game.id, game]));
    expect(byId['509658']).toMatchObject({ name: 'Just Chatting', igdb_id: '' });
    expect(byId['32399']).toMatchObject({ name: 'Counter-Strike', igdb_id: '' });
    expect(byId['516575']?.igdb_id).toMatch(/^\d+$/);
    expect(byId['516575']?.box_art_url).toContain('{width}x{height}');
  });

  it('ranks categories by current viewers at /helix/games/top, with cursors', async () => {
    // prepare
    const viewers = new Map<string, number>();
    for (const stream of sim.liveStreams()) {
      if (stream.game_id) viewers.set(stream.game_id, (viewers.get(stream.game_id) ?? 0) + stream.viewer_count);
    }
    const expected = [...viewers].sort((a, b) => b[1] - a[1]).map(([id]) => id);

    // act
    const firstPage = helixGamesPageSchema.parse(await (await helixGet(sim, token, '/games/top?first=5')).json());
    const secondPage = helixGamesPageSchema.parse(
      await (await helixGet(sim, token, `/games/top?first=5&after=${firstPage.pagination.cursor}`)).json(),
    );

    // assess
    expect([...firstPage.data, ...secondPage.data].map((game) => game.id)).toEqual(expected.slice(0, 10));
  });

  it('answers 401 without a token, with an unknown token and without Client-Id', async () => {
    // act
    const noToken = await fetch(`${sim.apiUrl}/streams`, { headers: { 'Client-Id': sim.credentials.clientId } });
    const badToken = await helixGet(sim, 'abcdefghijklmnopqrstuvwxyz0123', '/streams');
    const noClient = await fetch(`${sim.apiUrl}/streams`, { headers: { Authorization: `Bearer ${token}` } });

    // assess
    expect(noToken.status).toBe(401);
    expect(badToken.status).toBe(401);
    expect(await badToken.json()).toEqual({ error: 'Unauthorized', status: 401, message: 'Invalid OAuth token' });
    expect(noClient.status).toBe(401);
    helixErrorSchema.parse(await noToken.json());
  });

  it('answers 400 for out-of-range first and unknown cursors', async () => {
    // act
    const tooMany = await helixGet(sim, token, '/streams?first=101');
    const tooFew = await helixGet(sim, token, '/streams?first=0');
    const unknownCursor = await helixGet(sim, token, '/streams?after=eyJhIjp7Ik9mZnNldCI6MjB9fQ');
    const noGameFilter = await helixGet(sim, token, '/games');

    // assess
    expect(tooMany.status).toBe(400);
    expect(tooFew.status).toBe(400);
    expect(unknownCursor.status).toBe(400);
    expect(((await unknownCursor.json()) as { message: string }).message).toBe('invalid cursor');
    expect(noGameFilter.status).toBe(400);
  });

  it('answers 500 with the reason over the socket when a request cannot be read, as it does in process', async () => {
    // prepare: a request target that is not a URL, which fetch cannot send, written on a raw socket
    const { port } = new URL(sim.apiUrl);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');

    // act
    socket.end('GET //[ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    const chunks: Buffer[] = [];
    for await (const chunk of socket) chunks.push(chunk as Buffer);
    const [head = '', body = ''] = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n');

    // assess
    expect(head).toMatch(/^HTTP\/1\.1 500 /);
    expect(head.toLowerCase()).toContain('content-type: application/json; charset=utf-8');
    expect(helixErrorSchema.parse(JSON.parse(body))).toEqual({ error: 'Internal Server Error', status: 500, message: 'Invalid URL' });
  });
});

describe('simulator options', () => {
  it('refuses invalid options with one message naming each of them', async () => {
    // act
    const starting = startHelixSimulator({ averageLiveChannels: -5, rateLimit: { points: 0, windowMs: 1_000 }, seed: 1.5 });

    // assess
    await expect(starting).rejects.toThrow(
      'Invalid simulator options: averageLiveChannels must be a positive number; rateLimit.points must be a positive number; seed must be an integer',
    );
  });
});
