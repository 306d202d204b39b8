import { afterEach, describe, expect, it } from 'vitest';
import { type HelixSimulator, startHelixSimulator } from '../src/index';
import { helixGet, requestToken } from './simulator-client';

const START = new Date('2026-03-11T01:30:00Z');
// Headers Node's HTTP server adds on its own, and the bucket's level and reset time, which move
// with the wall clock between two requests; the rest must match byte for byte.
const VARYING_HEADERS = new Set(['date', 'connection', 'keep-alive', 'ratelimit-remaining', 'ratelimit-reset']);

const simulators: HelixSimulator[] = [];

afterEach(async () => {
  await Promise.all(simulators.splice(0).map((sim) => sim.close()));
});

async function simulator(): Promise<HelixSimulator> {
  const sim = await startHelixSimulator({ seed: 5, averageLiveChannels: 1_500, startTime: START });
  simulators.push(sim);
  return sim;
}

async function inProcessToken(sim: HelixSimulator): Promise<string> {
  const response = await sim.fetch(`${sim.authUrl}/token`, {
    method: 'POST',
    body: new URLSearchParams({ client_id: sim.credentials.clientId, client_secret: sim.credentials.clientSecret, grant_type: 'client_credentials' }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

function inProcessGet(sim: HelixSimulator, token: string, path: string, init: RequestInit = {}): Promise<Response> {
  return sim.fetch(`${sim.apiUrl}${path}`, { ...init, headers: { 'Client-Id': sim.credentials.clientId, Authorization: `Bearer ${token}` } });
}

async function wireOf(response: Response) {
  const headers = [...response.headers].filter(([name]) => !VARYING_HEADERS.has(name));
  const bucket = [response.headers.get('ratelimit-remaining'), response.headers.get('ratelimit-reset')].map((value) => /^\d+$/.test(value ?? ''));
  return { status: response.status, headers, bucket, body: await response.text() };
}

describe('the simulator in process (fetch without a socket)', () => {
  it('answers every endpoint with the status, headers and body text it serves over HTTP', async () => {
    // prepare: two simulators with the same seed, one reached over HTTP, one in process
    const [overHttp, inProcess] = [await simulator(), await simulator()];
    const [httpToken, localToken] = [await requestToken(overHttp), await inProcessToken(inProcess)];
    const paths = ['/streams?first=100&language=pt', '/streams?first=5&after=bogus', '/games/top?first=3', '/nowhere'];

    // act
    const served = [];
    for (const path of paths) {
      served.push([await wireOf(await helixGet(overHttp, httpToken, path)), await wireOf(await inProcessGet(inProcess, localToken, path))]);
    }

    // assess
    expect(served.map(([http]) => http!.status)).toEqual([200, 400, 200, 404]);
    for (const [http, local] of served) expect(local).toEqual(http);
  });

  it('refuses a missing token like the server does', async () => {
    // prepare
    const sim = await simulator();

    // act
    const response = await sim.fetch(`${sim.apiUrl}/streams`, { headers: { 'Client-Id': sim.credentials.clientId } });

    // assess
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: 'OAuth token is missing' });
  });

  it('drops the connection at connectionResetRate 1 as fetch reports it', async () => {
    // prepare
    const sim = await simulator();
    const token = await inProcessToken(sim);
    sim.setFaults({ connectionResetRate: 1 });

    // act
    const failure = inProcessGet(sim, token, '/streams');

    // assess
    await expect(failure).rejects.toThrow(TypeError);
    await expect(failure).rejects.toThrow('fetch failed');
  });

  it('gives up when the signal aborts while the simulator is slow', async () => {
    // prepare
    const sim = await simulator();
    const token = await inProcessToken(sim);
    sim.setFaults({ latencyMs: 2_000 });
    const startedAt = performance.now();

    // act
    const failure = inProcessGet(sim, token, '/streams', { signal: AbortSignal.timeout(50) });

    // assess
    await expect(failure).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(performance.now() - startedAt).toBeLessThan(1_500);
  });

  it('answers 500 with the reason when an endpoint fails, as the HTTP server does', async () => {
    // prepare: a token request whose body cannot be read makes the token endpoint throw; both
    // transports turn that into the same reply (respondOrFail), this one without a socket
    const sim = await simulator();
    const unreadable = new ReadableStream({
      pull(controller) {
        controller.error(new Error('body stream broke'));
      },
    });

    // act
    const response = await sim.fetch(`${sim.authUrl}/token`, { method: 'POST', body: unreadable, duplex: 'half' } as RequestInit);

    // assess
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({ error: 'Internal Server Error', status: 500, message: 'body stream broke' });
  });

  it('refuses a URL that is not the simulator', async () => {
    // prepare
    const sim = await simulator();

    // act
    const failure = sim.fetch('http://127.0.0.1:9/helix/streams');

    // assess
    await expect(failure).rejects.toThrow('fetch failed');
  });
});
