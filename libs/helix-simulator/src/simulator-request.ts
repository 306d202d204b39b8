import type { IncomingMessage } from 'node:http';
import { helixError, type Reply, wireReply } from './reply';

/** A request as the simulator's endpoints see it, however it arrived. */
export interface SimulatorRequest {
  readonly method: string;
  readonly url: URL;
  /** A header's value by its lower-case name. */
  header(name: string): string | undefined;
  body(): Promise<string>;
}

/** What the simulator answers: a reply with extra headers, or `'reset'` to drop the connection. */
export type Outcome = { reply: Reply | 'reset'; headers: Record<string, string> };

/** Answers one request; the same function serves both transports. */
export type Responder = (request: SimulatorRequest) => Promise<Outcome>;

/**
 * A Node HTTP request seen as a {@link SimulatorRequest}.
 *
 * @example
 * const outcome = await respond(nodeRequest(request));
 */
export function nodeRequest(request: IncomingMessage): SimulatorRequest {
  return {
    method: request.method ?? 'GET',
    url: new URL(request.url ?? '/', 'http://127.0.0.1'),
    header: (name) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    body: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * `respond`'s outcome, or, when reading the request or an endpoint throws (a request target
 * that is not a URL, a body that breaks off), a 500 with its message: both transports answer
 * such a request the same way.
 *
 * @example
 * const outcome = await respondOrFail(respond, () => nodeRequest(request));
 */
export async function respondOrFail(respond: Responder, request: () => SimulatorRequest): Promise<Outcome> {
  try {
    return await respond(request());
  } catch (error) {
    return { reply: helixError(500, error instanceof Error ? error.message : String(error)), headers: {} };
  }
}

/** `answer`, or a rejection as soon as `signal` aborts (a timeout while the simulator is slow). */
function untilAborted<T>(answer: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    answer.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) reject(abortError(signal));
        else resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * A `fetch` that hands requests for `origin` straight to `respond`, without a socket: the
 * client's code runs as over HTTP (headers, status, JSON text, aborts), only the loopback
 * round trip is gone. A dropped connection rejects with `TypeError('fetch failed')`, as
 * Node's fetch does; any other origin is refused.
 *
 * @example
 * const client = new HelixClient({ apiUrl: sim.apiUrl, authUrl: sim.authUrl, ...sim.credentials, fetch: sim.fetch });
 */
export function inProcessFetch(origin: string, respond: Responder): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : String(input));
    if (url.origin !== origin) throw new TypeError('fetch failed', { cause: new Error(`${url.origin} is not the simulator (${origin})`) });
    const signal = init?.signal ?? request?.signal;
    if (signal?.aborted) throw abortError(signal);
    const headers = new Headers(init?.headers ?? request?.headers);
    const body = init?.body ?? null;
    const answer = respondOrFail(respond, () => ({
      method: (init?.method ?? request?.method ?? 'GET').toUpperCase(),
      url,
      header: (name) => headers.get(name) ?? undefined,
      body: async () => (body === null ? (request ? request.text() : '') : new Response(body).text()),
    }));
    const outcome = signal ? await untilAborted(answer, signal) : await answer;
    if (outcome.reply === 'reset') throw new TypeError('fetch failed', { cause: new Error('other side closed') });
    const wire = wireReply(outcome.reply, outcome.headers);
    return new Response(wire.payload, { status: wire.status, headers: wire.headers });
  };
}
