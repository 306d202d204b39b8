import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HelixClient } from '../../src/index';

/** What one `GET /helix/streams` request asked for. */
export interface StreamsRequest {
  index: number;
  language: string | null;
  first: string | null;
  after: string | null;
  clientId: string | undefined;
  authorization: string | undefined;
}

/** A scripted reply: status, headers and raw body text. */
export interface ScriptedReply {
  status: number;
  body: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (to provoke client timeouts). */
  delayMs?: number;
}

/** A tiny Helix stand-in whose faults are scripted per request, for exact client checks. */
export interface ScriptedHelix {
  apiUrl: string;
  authUrl: string;
  requests: StreamsRequest[];
  tokenRequests: string[];
  /** Replies to a request in place of the normal page, or undefined for the normal page. */
  script: (request: StreamsRequest) => ScriptedReply | undefined;
  /** Replies to the token request of this index (0 first) in place of a token, or undefined for a token. */
  tokenScript: (index: number) => ScriptedReply | undefined;
  close(): Promise<void>;
}

export const CLIENT_ID = 'scripted-client-id';
export const CLIENT_SECRET = 'scripted-very-secret-value';

/** A fake stream record with Helix field names. */
export function streamRecord(language: string, rank: number): Record<string, unknown> {
  return {
    id: `${language === 'pt' ? 1 : language === 'en' ? 2 : 3}${String(rank).padStart(6, '0')}`,
    user_id: String(500000 + rank),
    user_login: `${language}_channel_${rank}`,
    user_name: `Channel ${rank}`,
    game_id: '509658',
    game_name: 'Just Chatting',
    type: 'live',
    title: `Stream ${rank} 🎮`,
    tags: ['Português'],
    viewer_count: 10_000 - rank,
    started_at: '2026-11-29T18:00:00Z',
    language,
    thumbnail_url: 'https://example.test/{width}x{height}.jpg',
    tag_ids: [],
    is_mature: false,
  };
}

function fixedWindow({ points, windowMs }: { points: number; windowMs: number }, clock: () => number) {
  let windowStart = clock();
  let used = 0;
  return {
    take() {
      const now = clock();
      if (now >= windowStart + windowMs) {
        windowStart = now;
        used = 0;
      }
      const allowed = used < points;
      if (allowed) used += 1;
      const headers = {
        'ratelimit-limit': String(points),
        'ratelimit-remaining': String(points - used),
        'ratelimit-reset': String(Math.ceil((windowStart + windowMs) / 1000)),
      };
      return { allowed, headers };
    },
  };
}

/**
 * Starts a scripted Helix server on loopback. Each language has `perLanguage` streams served
 * 100 a page with opaque cursors; `all` serves every language's streams.
 *
 * @example
 * const helix = await startScriptedHelix({ perLanguage: 250 });
 * helix.script = (request) => (request.index === 0 ? { status: 500, body: '{}' } : undefined);
 */
export async function startScriptedHelix(options: {
  perLanguage: number;
  languages?: string[];
  /** A fixed-window rate limit announced with `Ratelimit-*` headers; none when absent. */
  rateLimit?: { points: number; windowMs: number };
  /** How far the server's clock (its `Date` and `Ratelimit-Reset` headers) is ahead of the real one; negative when behind. */
  clockSkewMs?: number;
}): Promise<ScriptedHelix> {
  const clock = () => Date.now() + (options.clockSkewMs ?? 0);
  const limiter = options.rateLimit ? fixedWindow(options.rateLimit, clock) : undefined;
  const languages = options.languages ?? ['pt', 'en', 'es'];
  const streams = new Map(languages.map((language) => [language, Array.from({ length: options.perLanguage }, (_, rank) => streamRecord(language, rank))]));
  let tokenCounter = 0;
  const state: Omit<ScriptedHelix, 'apiUrl' | 'authUrl' | 'close'> = {
    requests: [],
    tokenRequests: [],
    script: () => undefined,
    tokenScript: () => undefined,
  };
  const send = (response: ServerResponse, reply: ScriptedReply) => {
    const write = () => {
      response.writeHead(reply.status, { date: new Date(clock()).toUTCString(), 'content-type': 'application/json', ...reply.headers });
      response.end(reply.body);
    };
    if (reply.delayMs) setTimeout(write, reply.delayMs);
    else write();
  };
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method === 'POST' && url.pathname === '/oauth2/token') {
      let body = '';
      for await (const chunk of request) body += chunk;
      const scripted = state.tokenScript(state.tokenRequests.length);
      state.tokenRequests.push(body);
      if (scripted) return send(response, scripted);
      tokenCounter += 1;
      send(response, { status: 200, body: JSON.stringify({ access_token: `token-${tokenCounter}`, expires_in: 3600, token_type: 'bearer' }) });
      return;
    }
    const streamsRequest: StreamsRequest = {
      index: state.requests.length,
      language: url.searchParams.get('language'),
      first: url.searchParams.get('first'),
      after: url.searchParams.get('after'),
      clientId: request.headers['client-id'] as string | undefined,
      authorization: request.headers.authorization,
    };
    state.requests.push(streamsRequest);
    const limits = limiter?.take();
    if (limits && !limits.allowed) {
      const body = JSON.stringify({ error: 'Too Many Requests', status: 429, message: 'rate limit exceeded' });
      return send(response, { status: 429, body, headers: limits.headers });
    }
    const scripted = state.script(streamsRequest);
    if (scripted) return send(response, scripted);
    const list = streamsRequest.language ? (streams.get(streamsRequest.language) ?? []) : [...streams.values()].flat();
    const offset = streamsRequest.after ? Number(Buffer.from(streamsRequest.after, 'base64url').toString()) : 0;
    const data = list.slice(offset, offset + 100);
    const next = offset + 100 < list.length ? Buffer.from(String(offset + 100)).toString('base64url') : undefined;
    send(response, { status: 200, body: JSON.stringify({ data, pagination: next ? { cursor: next } : {} }), headers: limits?.headers });
  };
  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    apiUrl: `http://127.0.0.1:${port}/helix`,
    authUrl: `http://127.0.0.1:${port}/oauth2`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/**
 * A client of a scripted server with the test credentials and fast retries (5–20 ms backoffs,
 * `requestTimeoutMs` per request); `extra` overrides any option, `retry` whole.
 *
 * @example
 * const client = scriptedClient(helix, { pageCap: 3 });
 */
export function scriptedClient(server: ScriptedHelix, extra: Partial<ConstructorParameters<typeof HelixClient>[0]> = {}, requestTimeoutMs = 500): HelixClient {
  return new HelixClient({
    apiUrl: server.apiUrl,
    authUrl: server.authUrl,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    retry: { backoffBaseMs: 5, backoffMaxMs: 20, requestTimeoutMs },
    ...extra,
  });
}

