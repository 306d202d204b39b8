import { helixErrorSchema, oauthTokenResponseSchema } from '@twitch-pipeline/schemas';
import { fullJitterDelay, sleep } from './backoff';
import { DEFAULT_MAX_RESPONSE_BYTES, readBoundedText } from './bounded-body';
import type { HelixLogger } from './helix-logger';
import { echoedServerText, HelixRequestError, networkFailureOf, redactTokens } from './helix-request-error';

/** Settings of an {@link AppTokenProvider}. */
export interface AppTokenProviderOptions {
  /**
   * OAuth base, e.g. `https://id.twitch.tv/oauth2`; the token endpoint is `{authUrl}/token`. The
   * endpoint itself (`https://id.twitch.tv/oauth2/token`, as Twitch's docs show it) is accepted too.
   */
  authUrl: string;
  clientId: string;
  clientSecret: string;
  logger?: HelixLogger;
  fetch?: typeof fetch;
  /** Per-request timeout. Default 10 s. */
  requestTimeoutMs?: number;
  /** Attempts at the token endpoint on 5xx, network errors and timeouts. Default 4. */
  maxAttempts?: number;
  now?: () => number;
}

/**
 * The token endpoint for an OAuth base: `{authUrl}/token`, or `authUrl` itself when it already
 * ends in `/token`. Twitch's docs show the full endpoint, so that is what people paste into
 * `TWITCH_AUTH_URL`; appending `/token` again would ask `/oauth2/token/token` and get a 404.
 *
 * @example
 * tokenEndpointOf('https://id.twitch.tv/oauth2'); // 'https://id.twitch.tv/oauth2/token'
 * tokenEndpointOf('https://id.twitch.tv/oauth2/token/'); // 'https://id.twitch.tv/oauth2/token'
 */
function tokenEndpointOf(authUrl: string): string {
  const endpointOf = (path: string) => {
    const base = path.replace(/\/+$/, '');
    return /\/token$/i.test(base) ? base : `${base}/token`;
  };
  try {
    // On the path alone: a query or fragment in the base must not swallow the `/token` added.
    const url = new URL(authUrl);
    url.pathname = endpointOf(url.pathname);
    return url.href;
  } catch {
    return endpointOf(authUrl);
  }
}

/**
 * `POST` and the path actually requested, for messages and logs: the path is what a wrong
 * `TWITCH_AUTH_URL` gets wrong, and it carries no query (where a secret could sit) nor any
 * user-info part of the URL.
 */
function endpointLabel(url: string): string {
  try {
    return `POST ${new URL(url).pathname}`;
  } catch {
    return 'POST (an unparsable token URL)';
  }
}

/** The host a token request went to, for messages that would not name it otherwise. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an unparsable token URL';
  }
}

interface CachedToken {
  value: string;
  expiresAtMs: number;
  renewAtMs: number;
}

/**
 * An app access token from the client-credentials flow, cached and renewed before it expires
 * (at 90 % of its lifetime, at most five minutes early). Concurrent callers share one token
 * request. Twitch issues no refresh token: renewing means asking again.
 *
 * @example
 * const tokens = new AppTokenProvider({ authUrl, clientId, clientSecret });
 * const bearer = await tokens.token();
 * tokens.invalidate(bearer); // after a 401: the next call asks for a fresh token
 */
export class AppTokenProvider {
  private cached: CachedToken | undefined;
  private pending: Promise<string> | undefined;
  private issued = 0;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: AppTokenProviderOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
  }

  /** How many tokens this provider has obtained. */
  get tokensIssued(): number {
    return this.issued;
  }

  /** A valid token: the cached one, or a new one when none is cached or it is due for renewal. */
  async token(signal?: AbortSignal): Promise<string> {
    if (this.cached && this.now() < this.cached.renewAtMs) return this.cached.value;
    if (!this.pending) {
      this.pending = this.requestToken(signal).finally(() => {
        this.pending = undefined;
      });
    }
    return this.pending;
  }

  /** Forgets `token` after Helix rejected it, unless it was already replaced by a newer one. */
  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = undefined;
  }

  private async requestToken(signal?: AbortSignal): Promise<string> {
    const maxAttempts = this.options.maxAttempts ?? 4;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const token = await this.requestOnce(signal);
        this.issued += 1;
        this.options.logger?.info('app access token obtained', {
          expiresAt: new Date(token.expiresAtMs).toISOString(),
          renewAt: new Date(token.renewAtMs).toISOString(),
        });
        this.cached = token;
        return token.value;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (!(error instanceof HelixRequestError && error.retryable) || attempt >= maxAttempts) throw error;
        const delayMs = fullJitterDelay(attempt, { baseMs: 250, maxMs: 4000 });
        // Said each time, like a Helix retry: a hanging token endpoint is otherwise a silent stall.
        this.options.logger?.warn('app token request failed; retrying', {
          endpoint: endpointLabel(tokenEndpointOf(this.options.authUrl)),
          attempt,
          maxAttempts,
          kind: error.kind,
          status: error.status,
          reason: redactTokens(error.message, [this.options.clientSecret]),
          delayMs,
        });
        await sleep(delayMs, signal);
      }
    }
  }

  private async requestOnce(signal?: AbortSignal): Promise<CachedToken> {
    const { authUrl, clientId, clientSecret } = this.options;
    const body = new URLSearchParams({ client_id: clientId, client_secret: clientSecret, grant_type: 'client_credentials' });
    const timeout = AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000);
    const url = tokenEndpointOf(authUrl);
    const endpoint = endpointLabel(url);
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await readBoundedText(response, DEFAULT_MAX_RESPONSE_BYTES, endpoint);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof HelixRequestError) throw error;
      const timedOut = timeout.aborted;
      // A network error's cause names the address; a timeout's says nothing of where it waited.
      const detail = timedOut ? `timed out waiting for ${hostOf(url)}` : `network error (${redactTokens(networkFailureOf(error), [clientSecret])})`;
      throw new HelixRequestError(`${endpoint} ${detail}`, timedOut ? 'timeout' : 'network');
    }
    const scrub = (message: string) => echoedServerText(message, [clientSecret]);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // Retried only when another try may differ: a 2xx or 5xx page, not a 4xx one.
      const kind = response.status >= 500 ? 'server' : response.ok ? 'not-json' : 'client';
      throw new HelixRequestError(`${endpoint} returned a non-JSON response from ${hostOf(url)} (status ${response.status})`, kind, response.status);
    }
    if (!response.ok) {
      const problem = helixErrorSchema.safeParse(json);
      const message = scrub(problem.success ? problem.data.message || problem.data.error || `status ${response.status}` : `status ${response.status}`);
      const kind = response.status >= 500 ? 'server' : response.status === 429 ? 'rate-limited' : 'client';
      throw new HelixRequestError(`${endpoint} was refused by ${hostOf(url)} (${response.status}): ${message}`, kind, response.status);
    }
    const parsed = oauthTokenResponseSchema.safeParse(json);
    if (!parsed.success) throw new HelixRequestError(`${endpoint} returned an unexpected body from ${hostOf(url)}`, 'bad-shape', response.status);
    const lifetimeMs = parsed.data.expires_in * 1000;
    const issuedAt = this.now();
    return {
      value: parsed.data.access_token,
      expiresAtMs: issuedAt + lifetimeMs,
      renewAtMs: issuedAt + lifetimeMs - Math.min(lifetimeMs * 0.1, 5 * 60_000),
    };
  }
}
