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
  | 'client'
  /** A `Ratelimit-Reset` further ahead than the configured maximum wait. */
  | 'rate-limit-wait'
  /** A response body over the size limit: the same runaway answer on every try. */
  | 'too-large'
  /** The request could not be built (a header value with a line break): the same on every try. */
  | 'invalid-request'
  /** The page cap was reached: the listing did not end, so the snapshot would be incomplete. */
  | 'incomplete';

const RETRYABLE: ReadonlySet<HelixFailureKind> = new Set(['rate-limited', 'server', 'network', 'timeout', 'not-json', 'bad-shape']);

const BEARER = /\b(Bearer|OAuth)(\s+|:\s*|%20)([A-Za-z0-9._~+/=-]+)/gi;
/** At least this long, a run of token characters after `Bearer`/`OAuth` counts as a token even without a digit. */
const TOKEN_MIN_LETTERS = 20;
/** A token or secret field in JSON (double or single quotes), a form, a URL-encoded form, or camelCase. */
const TOKEN_FIELD = /(["']?(?:access_?token|client_?secret|refresh_?token)["']?\s*(?:[:=]|%3D)\s*["']?)[^"'&\s,}]+/gi;

/**
 * Whether the word after `Bearer` or `OAuth` is a credential rather than English: Twitch's own
 * messages say "Invalid OAuth token" and "Client ID and OAuth token do not match", which must
 * stay readable. Twitch tokens are 30 lowercase letters and digits, JWTs longer still; a word
 * with a digit, or a run of 20 characters or more, is taken for one.
 */
function looksLikeToken(word: string): boolean {
  return /\d/.test(word) || word.length >= TOKEN_MIN_LETTERS;
}

/**
 * A text with bearer tokens (`Authorization: Bearer …`, `OAuth …` followed by something shaped
 * like a token, not by a word such as Twitch's "Invalid OAuth token"), token and secret fields
 * (`access_token=…`, `"client_secret": "…"`, `'accessToken': '…'`) and each of the given secret
 * values (as sent, JSON-escaped or URL-encoded, in any case, whatever characters it holds)
 * replaced by `[redacted]`: for anything a server echoes back that may end up in a message, log
 * or record.
 *
 * @example
 * redactTokens('echo: Authorization: Bearer abc123'); // 'echo: Authorization: Bearer [redacted]'
 * redactTokens('Invalid OAuth token'); // unchanged
 */
export function redactTokens(text: string, secrets: readonly (string | undefined)[] = []): string {
  // The known values go first, in every form an echo may carry them: the patterns below stop at
  // `"`, `&`, `,` or `}`, and a value holding one of them, once cut there, no longer matched whole.
  const forms = secrets.flatMap((secret) => (secret ? echoedForms(secret) : [])).sort((a, b) => b.length - a.length);
  // Any case: percent-escapes may come back in lower case, and a server may upper-case what it echoes.
  const withoutValues = forms.length === 0 ? text : text.replace(new RegExp(forms.map(escapedForRegExp).join('|'), 'gi'), '[redacted]');
  return withoutValues
    .replace(BEARER, (match: string, scheme: string, _space: string, word: string) => (looksLikeToken(word) ? `${scheme} [redacted]` : match))
    .replace(TOKEN_FIELD, '$1[redacted]');
}

/** The most characters of a server's own error text a message quotes. */
const MAX_ECHOED = 300;

/**
 * A server's error text as a message may quote it: credentials redacted (see
 * {@link redactTokens}), on one line (a line break in it would print a line that looks like the
 * command's own), at most 300 characters.
 *
 * @example
 * echoedServerText('invalid client\r\nFAKE: ok', []); // 'invalid client FAKE: ok'
 */
export function echoedServerText(text: string, secrets: readonly (string | undefined)[]): string {
  const line = redactTokens(text, secrets).replace(/\s+/g, ' ').trim();
  return line.length > MAX_ECHOED ? `${line.slice(0, MAX_ECHOED)}…` : line;
}

/** A value as sent, as a JSON string escapes it (once, twice, `/` as `\/`) and as a form or URL encodes it. */
function echoedForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  return [
    ...new Set([
      value,
      json,
      json.replaceAll('/', '\\/'),
      JSON.stringify(json).slice(1, -1),
      encodeURIComponent(value),
      new URLSearchParams({ v: value }).toString().slice(2),
    ]),
  ];
}

function escapedForRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Why a fetch failed, from the innermost cause: fetch's own message is only "fetch failed", and
 * a proxy's refusal sits two causes down (`Proxy response (407) !== 200 when HTTP Tunneling`).
 *
 * @example
 * networkFailureOf(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') })); // 'connect ECONNREFUSED 127.0.0.1:1'
 */
export function networkFailureOf(error: unknown): string {
  let innermost = error;
  for (let depth = 0; depth < 8 && innermost instanceof Error && innermost.cause !== undefined; depth += 1) innermost = innermost.cause;
  return innermost instanceof Error ? innermost.message : String(innermost);
}

/**
 * A failed Helix (or OAuth) request. Messages name the endpoint, the status and Twitch's own
 * error message, and never the client secret or a token: every message passes through
 * {@link redactTokens}, so an error body that echoes the `Authorization` header is scrubbed.
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
    super(redactTokens(message));
    this.name = 'HelixRequestError';
    this.retryable = RETRYABLE.has(kind);
  }
}

/** Token endpoint answers that refuse the app's credentials themselves: the same on every try. */
const REFUSED_CREDENTIALS = new Set([400, 401, 403]);

/**
 * Whether `error`, or an error it was caused by, is Twitch refusing the app's credentials: the
 * token endpoint turning the client id or secret down, or Helix refusing a fresh app token (a
 * client id that does not match it). No later request with the same credentials can succeed, so
 * a collector stops rather than fail every cycle; a token endpoint that is down (5xx, network)
 * is not a refusal.
 *
 * @example
 * isCredentialRefusal(new HelixRequestError('could not obtain an app token: … (403): invalid client secret', 'token', 403)); // true
 * isCredentialRefusal(new HelixRequestError('could not obtain an app token: … (503)', 'token', 503)); // false
 */
export function isCredentialRefusal(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth += 1) {
    if (current instanceof HelixRequestError) {
      if (current.kind === 'unauthorized') return true;
      if (current.kind === 'token' && current.status !== undefined && REFUSED_CREDENTIALS.has(current.status)) return true;
    }
    current = current.cause;
  }
  return false;
}
