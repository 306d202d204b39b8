import { helixErrorSchema, oauthTokenResponseSchema } from '@twitch-pipeline/schemas';
import { fullJitterDelay, sleep } from './backoff';
import type { HelixLogger } from './helix-logger';
import { HelixRequestError, networkFailureOf, redactTokens } from './helix-request-error';

/** Settings of an {@link AppTokenProvider}. */
export interface AppTokenProviderOptions {
  /** OAuth base, e.g. `https://id.twitch.tv/oauth2`; the token endpoint is `{authUrl}/token`. */
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
        const retryable = error instanceof HelixRequestError && error.retryable;
        if (!retryable || attempt >= maxAttempts) throw error;
        await sleep(fullJitterDelay(attempt, { baseMs: 250, maxMs: 4000 }), signal);
      }
    }
  }

  private async requestOnce(signal?: AbortSignal): Promise<CachedToken> {
    const { authUrl, clientId, clientSecret } = this.options;
    const body = new URLSearchParams({ client_id: clientId, client_secret: clientSecret, grant_type: 'client_credentials' });
    const timeout = AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000);
    const endpoint = 'POST /oauth2/token';
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(`${authUrl}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const timedOut = timeout.aborted;
      const detail = timedOut ? 'timed out' : `network error (${redactTokens(networkFailureOf(error), [clientSecret])})`;
      throw new HelixRequestError(`${endpoint} ${detail}`, timedOut ? 'timeout' : 'network');
    }
    const scrub = (message: string) => redactTokens(message, [clientSecret]);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // Retried only when another try may differ: a 2xx or 5xx page, not a 4xx one.
      const kind = response.status >= 500 ? 'server' : response.ok ? 'not-json' : 'client';
      throw new HelixRequestError(`${endpoint} returned a non-JSON response (status ${response.status})`, kind, response.status);
    }
    if (!response.ok) {
      const problem = helixErrorSchema.safeParse(json);
      const message = scrub(problem.success ? problem.data.message || problem.data.error || `status ${response.status}` : `status ${response.status}`);
      const kind = response.status >= 500 ? 'server' : response.status === 429 ? 'rate-limited' : 'client';
      throw new HelixRequestError(`${endpoint} was refused (${response.status}): ${message}`, kind, response.status);
    }
    const parsed = oauthTokenResponseSchema.safeParse(json);
    if (!parsed.success) throw new HelixRequestError(`${endpoint} returned an unexpected body`, 'bad-shape', response.status);
    const lifetimeMs = parsed.data.expires_in * 1000;
    const issuedAt = this.now();
    return {
      value: parsed.data.access_token,
      expiresAtMs: issuedAt + lifetimeMs,
      renewAtMs: issuedAt + lifetimeMs - Math.min(lifetimeMs * 0.1, 5 * 60_000),
    };
  }
}
