/** What went wrong with one Helix or token request; decides whether it is worth retrying. */
export type HelixFailureKind =
  | 'rate-limited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'not-json'
  | 'bad-shape'
  | 'unauthorized'
  | 'token'
  | 'invalid-cursor'
  | 'client';

const RETRYABLE: ReadonlySet<HelixFailureKind> = new Set(['rate-limited', 'server', 'network', 'timeout', 'not-json', 'bad-shape']);

/**
 * A failed Helix (or OAuth) request. Messages name the endpoint, the status and Twitch's own
 * error message, and never the client secret or a token.
 *
 * @example
 * try {
 *   await client.crawlStreams({ languages: ['pt'] });
 * } catch (error) {
 *   if (error instanceof HelixRequestError) console.error(error.kind, error.status, error.message);
 * }
 */
export class HelixRequestError extends Error {
  /** Whether the request may succeed if tried again (429, 5xx, network, timeout, garbled body). */
  readonly retryable: boolean;

  constructor(
    message: string,
    readonly kind: HelixFailureKind,
    readonly status?: number,
    /** `Ratelimit-Reset` of a 429, in epoch milliseconds. */
    readonly resetAtMs?: number,
  ) {
    super(message);
    this.name = 'HelixRequestError';
    this.retryable = RETRYABLE.has(kind);
  }
}
