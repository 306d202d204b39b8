import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HelixStream } from '@twitch-pipeline/schemas';
import { POPULATION_SHAPES, type PopulationShape } from './audience-shapes';
import { NO_FAULTS, type SimulatorFaults } from './faults';
import { gamesReply, topGamesReply } from './games-endpoint';
import { computeGroundTruth, type GroundTruth, type GroundTruthQuery } from './ground-truth';
import { Population } from './population';
import { hash32, mulberry32 } from './random';
import { RateLimiter, type RateLimitState } from './rate-limiter';
import { helixError, writeReply } from './reply';
import { inProcessFetch, nodeRequest, type Outcome, respondOrFail, type SimulatorRequest } from './simulator-request';
import { streamsReply } from './streams-endpoint';
import { tokenReply, validateReply } from './token-endpoint';
import { TokenStore } from './token-store';
import { type SimulatorClock, VirtualClock } from './virtual-clock';

/** Options of {@link startHelixSimulator}; every one has a default. */
export interface HelixSimulatorOptions {
  /** Seed of the population and of the faults (default 1). */
  seed?: number;
  /** Channels live on average over a day, platform-wide (default 95,000). */
  averageLiveChannels?: number;
  /** How broadcasts and audiences behave (default `default`, see {@link POPULATION_SHAPES}). */
  populationShape?: PopulationShape;
  /** Given: a frozen virtual clock starting there. Absent: the clock follows real time. */
  startTime?: Date;
  /** Port on 127.0.0.1 (default 0: an ephemeral port). */
  port?: number;
  /** Token bucket per client id (default 800 points per 60,000 ms). */
  rateLimit?: { points: number; windowMs: number };
  /** Lifetime of issued tokens in seconds (default 5,011,200: 58 days, as Twitch's app tokens). */
  tokenLifetimeSeconds?: number;
  /** Fault knobs, all off by default. */
  faults?: Partial<SimulatorFaults>;
}

/** Request counters of a running simulator. */
export interface SimulatorStats {
  requests: number;
  rateLimited: number;
  tokensIssued: number;
}

/** A running simulator. */
export interface HelixSimulator {
  /** Helix base URL: `GET {apiUrl}/streams`. */
  readonly apiUrl: string;
  /** OAuth base URL: `POST {authUrl}/token`. */
  readonly authUrl: string;
  readonly credentials: { readonly clientId: string; readonly clientSecret: string };
  readonly clock: SimulatorClock;
  /**
   * Answers a request to `apiUrl` or `authUrl` in this process, without a socket: the same
   * endpoints, headers, faults and JSON text as over HTTP (a connection reset rejects like
   * `fetch` does). For a client that runs beside the simulator, such as the demo's.
   */
  readonly fetch: typeof fetch;
  setFaults(faults: Partial<SimulatorFaults>): void;
  /** The true live list at `at` (default: the clock's now), in Helix order, without faults. */
  liveStreams(at?: Date): HelixStream[];
  /** True watch hours and airtime over [from, to). */
  groundTruth(query: GroundTruthQuery): GroundTruth;
  stats(): SimulatorStats;
  close(): Promise<void>;
}

const DEFAULT_TOKEN_LIFETIME_SECONDS = 5_011_200;

function secretOf(seed: number, purpose: number, length: number): string {
  let text = '';
  for (let index = 0; text.length < length; index++) text += hash32(seed, purpose, index).toString(36);
  return text.slice(0, length);
}

function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'Ratelimit-Limit': String(state.limit),
    'Ratelimit-Remaining': String(state.remaining),
    'Ratelimit-Reset': String(state.reset),
  };
}

const HTML_BAD_GATEWAY =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';

function assertValidOptions(options: HelixSimulatorOptions): void {
  const problems: string[] = [];
  const positive = (name: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) problems.push(`${name} must be a positive number`);
  };
  positive('averageLiveChannels', options.averageLiveChannels);
  if (options.populationShape !== undefined && !POPULATION_SHAPES.includes(options.populationShape)) {
    problems.push(`populationShape must be one of ${POPULATION_SHAPES.join(', ')}`);
  }
  positive('rateLimit.points', options.rateLimit?.points);
  positive('rateLimit.windowMs', options.rateLimit?.windowMs);
  positive('tokenLifetimeSeconds', options.tokenLifetimeSeconds);
  if (options.seed !== undefined && !Number.isInteger(options.seed)) problems.push('seed must be an integer');
  if (options.startTime !== undefined && Number.isNaN(options.startTime.getTime())) problems.push('startTime is not a valid date');
  if (problems.length > 0) throw new RangeError(`Invalid simulator options: ${problems.join('; ')}`);
}

/**
 * Starts a Helix-compatible server on 127.0.0.1 backed by a seeded population.
 *
 * @example
 * const sim = await startHelixSimulator({ seed: 7, averageLiveChannels: 2_000, startTime: new Date('2026-01-01T20:00:00Z') });
 * const token = await fetch(`${sim.authUrl}/token`, { method: 'POST', body: new URLSearchParams({
 *   client_id: sim.credentials.clientId, client_secret: sim.credentials.clientSecret, grant_type: 'client_credentials' }) });
 * await sim.close();
 */
export async function startHelixSimulator(options: HelixSimulatorOptions = {}): Promise<HelixSimulator> {
  assertValidOptions(options);
  const seed = options.seed ?? 1;
  const population = new Population(seed, options.averageLiveChannels ?? 95_000, options.populationShape ?? 'default');
  const clock = new VirtualClock(options.startTime);
  const limiter = new RateLimiter(options.rateLimit?.points ?? 800, options.rateLimit?.windowMs ?? 60_000);
  const tokens = new TokenStore(clock);
  const draw = mulberry32(hash32(seed, 99));
  let faults: SimulatorFaults = { ...NO_FAULTS, ...options.faults };
  const counters = { requests: 0, rateLimited: 0 };
  const credentials = { clientId: secretOf(seed, 1, 30), clientSecret: secretOf(seed, 2, 30) };
  const app = {
    ...credentials,
    lifetimeSeconds: () =>
      faults.tokenLifetimeSeconds > 0
        ? faults.tokenLifetimeSeconds
        : (options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS),
  };

  /** The reply to a Helix call, or `'reset'` to drop the connection without one. */
  function helixReply(request: SimulatorRequest): Outcome {
    const { url } = request;
    const clientId = request.header('client-id');
    const authorization = request.header('authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (typeof clientId !== 'string' || clientId === '') {
      return { reply: helixError(401, 'Client ID is missing'), headers: {} };
    }
    const unauthorizedHeaders = rateLimitHeaders(limiter.peek(clientId));
    if (!token) return { reply: helixError(401, 'OAuth token is missing'), headers: unauthorizedHeaders };
    const owner = tokens.clientOf(token);
    if (!owner) return { reply: helixError(401, 'Invalid OAuth token'), headers: unauthorizedHeaders };
    if (owner !== clientId) {
      return { reply: helixError(401, 'Client ID and OAuth token do not match'), headers: unauthorizedHeaders };
    }
    const state = limiter.take(clientId);
    const headers = rateLimitHeaders(state);
    const [serverError, htmlError, spurious429, reset] = [draw(), draw(), draw(), draw()];
    if (reset < faults.connectionResetRate) return { reply: 'reset', headers };
    if (!state.allowed || spurious429 < faults.rateLimitRate) {
      counters.rateLimited += 1;
      return { reply: helixError(429, 'Too Many Requests: the rate limit of this client was exceeded'), headers };
    }
    if (htmlError < faults.htmlErrorRate) {
      return { reply: { status: 502, body: HTML_BAD_GATEWAY, contentType: 'text/html' }, headers };
    }
    if (serverError < faults.serverErrorRate) {
      const status = serverError < faults.serverErrorRate / 2 ? 500 : 503;
      return { reply: helixError(status, 'Something went wrong on our side, please retry'), headers };
    }
    if (request.method !== 'GET') return { reply: helixError(405, 'Method not allowed'), headers };
    if (url.pathname === '/helix/streams') {
      return { reply: streamsReply(url.searchParams, { population, at: clock.now(), seed, faults, draw }), headers };
    }
    if (url.pathname === '/helix/games') return { reply: gamesReply(url.searchParams), headers };
    if (url.pathname === '/helix/games/top') {
      return { reply: topGamesReply(url.searchParams, population.liveAt(clock.now()), seed), headers };
    }
    return { reply: helixError(404, `Unknown endpoint ${url.pathname}`), headers };
  }

  async function respond(request: SimulatorRequest): Promise<Outcome> {
    counters.requests += 1;
    const { url } = request;
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    if (url.pathname === '/oauth2/token') {
      if (request.method !== 'POST') return { reply: helixError(405, 'Method not allowed'), headers: {} };
      const params = new URLSearchParams(url.searchParams);
      for (const [key, value] of new URLSearchParams(await request.body())) params.append(key, value);
      return { reply: tokenReply(params, app, tokens), headers: {} };
    }
    if (url.pathname === '/oauth2/validate') {
      return { reply: validateReply(request.header('authorization'), tokens), headers: {} };
    }
    if (url.pathname.startsWith('/helix/')) return helixReply(request);
    return { reply: helixError(404, `Unknown endpoint ${url.pathname}`), headers: {} };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const outcome = await respondOrFail(respond, () => nodeRequest(request));
    if (outcome.reply === 'reset') return void request.socket.destroy();
    writeReply(response, outcome.reply, outcome.headers);
  }

  // Unreadable requests and endpoint failures are already a 500 (respondOrFail); what is left is a write that failed.
  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const origin = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${origin}/helix`,
    authUrl: `${origin}/oauth2`,
    credentials,
    clock,
    fetch: inProcessFetch(origin, respond),
    setFaults: (next) => {
      faults = { ...faults, ...next };
    },
    liveStreams: (at = clock.now()) => {
      const list = population.liveAt(at);
      // Copies: the cached records also back the pages still to be served.
      return list.entries.map((entry) => {
        const record = list.recordOf(entry);
        return { ...record, tags: record.tags && [...record.tags], tag_ids: record.tag_ids && [...record.tag_ids] };
      });
    },
    groundTruth: (query) => computeGroundTruth(population.pool, query),
    stats: () => ({ ...counters, tokensIssued: tokens.issuedCount }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
