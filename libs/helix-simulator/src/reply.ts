import type { ServerResponse } from 'node:http';

/** A response before it is written: endpoints return these, the server writes them. */
export interface Reply {
  readonly status: number;
  /** JSON-serialised unless `contentType` says otherwise and the body is a string. */
  readonly body: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/**
 * A Helix error reply: `{"error":"Unauthorized","status":401,"message":"Invalid OAuth token"}`.
 *
 * @example
 * helixError(400, 'invalid cursor');
 */
export function helixError(status: number, message: string): Reply {
  return { status, body: { error: REASONS[status] ?? 'Error', status, message } };
}

/** A reply as it goes on the wire: status, headers and body text. */
export interface WireReply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly payload: string;
}

/**
 * The status, headers and body text of `reply` with `extraHeaders` (for example the
 * `Ratelimit-*` headers): one encoding for every transport.
 *
 * @example
 * wireReply(helixError(404, ''), {}).payload; // '{"error":"Not Found","status":404,"message":""}'
 */
export function wireReply(reply: Reply, extraHeaders: Readonly<Record<string, string>>): WireReply {
  const isText = typeof reply.body === 'string' && reply.contentType !== undefined;
  const payload = isText ? (reply.body as string) : JSON.stringify(reply.body);
  return {
    status: reply.status,
    headers: {
      'Content-Type': reply.contentType ?? 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(payload)),
      ...extraHeaders,
      ...reply.headers,
    },
    payload,
  };
}

/**
 * Writes `reply` with `extraHeaders` to a Node HTTP response.
 *
 * @example
 * writeReply(response, helixError(404, ''), {});
 */
export function writeReply(response: ServerResponse, reply: Reply, extraHeaders: Readonly<Record<string, string>>): void {
  const wire = wireReply(reply, extraHeaders);
  response.writeHead(wire.status, wire.headers);
  response.end(wire.payload);
}
