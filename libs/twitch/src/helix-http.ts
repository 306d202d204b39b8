import { helixErrorSchema } from '@twitch-pipeline/schemas';
import type { AppTokenProvider } from './app-token-provider';
import { fullJitterDelay, sleep } from './backoff';
import { DEFAULT_MAX_RESPONSE_BYTES, readBoundedText } from './bounded-body';
import type { HelixLogger } from './helix-logger';
import { echoedServerText, HelixRequestError, networkFailureOf } from './helix-request-error';
import { parseRateLimitHeaders, type RateLimitPacer } from './rate-limit-pacer';

/** Retry, timeout and size settings of Helix calls. */
export interface HelixRetryOptions {
  /** Per-request timeout (connect, headers and body). Default 10 s. */
  requestTimeoutMs?: number;
  /** Largest response body read; a longer one fails the call at once, unretried. Default 8 MiB. */
  maxResponseBytes?: number;
  /** Retries of one call after the first attempt. Default 6. */
  maxRetries?: number;
  /** No retry starts once this much time has passed since the first attempt. Default 3 min. */
  maxRetryElapsedMs?: number;
  /** Backoff base and ceiling of the full-jitter delay. Defaults 200 ms and 8 s. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

/** Counters of one crawl, updated by every call made for it. */
export interface HelixCallCounters {
  requests: number;
  retries: number;
  rateLimited: number;
  tokenRenewals: number;
}

const INVALID_CURSOR = /cursor/i;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The request headers, each checked on its own: fetch refuses a value with a line break or
 * another control character with a `TypeError` that quotes the value (a token, say) and looks
 * like a network failure. Such a value is wrong on every try, so it fails at once, naming the
 * header and not its value.
 *
 * @example
 * const headers = requestHeaders('GET /streams', { 'Client-Id': clientId, Authorization: `Bearer ${token}` });
 */
function requestHeaders(label: string, values: Record<string, string>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(values)) {
    try {
      headers.set(name, value);
    } catch {
      throw new HelixRequestError(
        `${label} was not sent: the ${name} header value is not a valid HTTP header value (a line break or another control character in it?)`,
        'invalid-request',
      );
    }
  }
  return headers;
}

/**
 * Authorized, paced and retried `GET` requests to Helix. Every call carries `Client-Id` and a
 * bearer app token, waits for a point from the shared pacer, times out on its own, and is
 * retried with exponential backoff and full jitter on 429, 5xx, network errors, timeouts and
 * garbled bodies. A 401 renews the token once and repeats the call.
 *
 * @example
 * const http = new HelixHttp({ apiUrl, clientId, tokens, pacer });
 * const body = await http.getJson('/streams', { first: '100' }, counters);
 */
export class HelixHttp {
  private readonly fetchImpl: typeof fetch;

  constructor(
    private readonly options: {
      apiUrl: string;
      clientId: string;
      tokens: AppTokenProvider;
      pacer: RateLimitPacer;
      retry?: HelixRetryOptions;
      logger?: HelixLogger;
      fetch?: typeof fetch;
    },
  ) {
    this.fetchImpl = options.fetch ?? fetch;
  }

  /**
   * GETs `{apiUrl}{path}?{query}` and returns the JSON body of a 2xx response as `read` gives it;
   * `read` throws a `bad-shape` {@link HelixRequestError} for a body it cannot use, which is
   * retried like a failed request (a proxy's stray answer), not taken as the end of the list.
   * `signal` aborts the call and every wait in it; once `stopRetrying` is aborted, a failed
   * attempt is not retried (a backoff under way ends) and its error is thrown as it is.
   */
  async getJson<T>(
    path: string,
    query: Record<string, string>,
    counters: HelixCallCounters,
    read: (body: unknown) => T,
    { signal, stopRetrying }: { signal?: AbortSignal; stopRetrying?: AbortSignal } = {},
  ): Promise<T> {
    const retry = this.options.retry ?? {};
    const maxRetries = retry.maxRetries ?? 6;
    const maxElapsedMs = retry.maxRetryElapsedMs ?? 180_000;
    const startedAt = Date.now();
    let renewedAfter401 = false;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return read(await this.attempt(path, query, counters, signal));
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (!(error instanceof HelixRequestError) || stopRetrying?.aborted) throw error;
        if (error.kind === 'unauthorized' && !renewedAfter401) {
          renewedAfter401 = true;
          counters.tokenRenewals += 1;
          this.options.logger?.warn('Helix rejected the app token; renewing it once', { path });
          attempt -= 1;
          continue;
        }
        if (error.kind === 'rate-limited') counters.rateLimited += 1;
        const elapsed = Date.now() - startedAt;
        if (!error.retryable || attempt > maxRetries || elapsed > maxElapsedMs) {
          if (!error.retryable) throw error;
          throw new HelixRequestError(
            `GET ${path} failed after ${attempt} attempts in ${elapsed} ms: ${error.message}`,
            error.kind,
            error.status,
          );
        }
        counters.retries += 1;
        const backoffMs = fullJitterDelay(attempt, { baseMs: retry.backoffBaseMs ?? 200, maxMs: retry.backoffMaxMs ?? 8000 });
        // The backoff runs first, then the pacer holds the call until a 429's reset: the wait
        // taken is the longer of the two, and that is what the warning must say.
        const delayMs = Math.max(backoffMs, this.options.pacer.waitMs());
        this.options.logger?.warn('Helix call failed; retrying', { path, attempt, kind: error.kind, status: error.status, delayMs });
        const waits = [signal, stopRetrying].filter((candidate): candidate is AbortSignal => candidate !== undefined);
        await sleep(backoffMs, AbortSignal.any(waits)).catch((reason: unknown) => {
          throw signal?.aborted || !stopRetrying?.aborted ? reason : error;
        });
      }
    }
  }

  private async attempt(path: string, query: Record<string, string>, counters: HelixCallCounters, signal?: AbortSignal): Promise<unknown> {
    const { tokens, pacer, clientId } = this.options;
    const url = new URL(`${this.options.apiUrl}${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    // The token provider retries on its own; a failure here is final for this call.
    const token = await tokens.token(signal).catch((error: unknown) => {
      if (signal?.aborted) throw signal.reason;
      throw new HelixRequestError(`could not obtain an app token: ${describe(error)}`, 'token', (error as HelixRequestError).status);
    });
    const headers = requestHeaders(`GET ${path}`, { 'Client-Id': clientId, Authorization: `Bearer ${token}`, accept: 'application/json' });
    await pacer.acquire(signal);
    counters.requests += 1;
    const timeout = AbortSignal.timeout(this.options.retry?.requestTimeoutMs ?? 10_000);
    let released = false;
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(url, {
        headers,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      pacer.release(parseRateLimitHeaders(response.headers));
      released = true;
      text = await readBoundedText(response, this.options.retry?.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, `GET ${path}`);
    } catch (error) {
      if (!released) pacer.release();
      if (signal?.aborted) throw signal.reason;
      if (error instanceof HelixRequestError) throw error;
      if (timeout.aborted) throw new HelixRequestError(`GET ${path} timed out`, 'timeout');
      throw new HelixRequestError(`GET ${path} network error (${networkFailureOf(error)})`, 'network');
    }
    const status = response.status;
    const contentType = response.headers.get('content-type') ?? 'no content-type';
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // A 4xx page that is not JSON (a CDN's, a wrong TWITCH_API_URL's) is the same answer on
      // every try: it is refused below like any other 4xx, and only a 2xx or 5xx is retried.
      if (response.ok || status >= 500) {
        throw new HelixRequestError(`GET ${path} returned a non-JSON response (status ${status}, ${contentType})`, status >= 500 ? 'server' : 'not-json', status);
      }
      json = undefined;
    }
    if (response.ok) return json;
    const problem = helixErrorSchema.safeParse(json);
    // Twitch's message is echoed text: scrub the token in case it (or the Authorization header) is in it.
    const message = echoedServerText(
      problem.success ? problem.data.message || problem.data.error || 'no error message' : json === undefined ? `a non-JSON response (${contentType})` : 'no error message',
      [token],
    );
    const detail = `GET ${path} failed with ${status}: ${message}`;
    if (status === 429) {
      const resetAtMs = parseRateLimitHeaders(response.headers)?.resetAtMs;
      pacer.exhaust(resetAtMs);
      throw new HelixRequestError(detail, 'rate-limited', status, resetAtMs);
    }
    if (status === 401) {
      tokens.invalidate(token);
      throw new HelixRequestError(`${detail} (the app token was refused even after renewing it)`, 'unauthorized', status);
    }
    if (status === 400 && INVALID_CURSOR.test(message)) throw new HelixRequestError(detail, 'invalid-cursor', status);
    throw new HelixRequestError(detail, status >= 500 ? 'server' : 'client', status);
  }
}
