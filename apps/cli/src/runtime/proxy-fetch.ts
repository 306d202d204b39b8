// Node's own fetch ignores HTTP_PROXY and HTTPS_PROXY unless the process starts with
// NODE_USE_ENV_PROXY=1 on a recent Node, so behind a corporate proxy every call to Twitch failed
// with "fetch failed". undici, the library Node's fetch is built on, reads them as curl does.
import { isLoopbackHostname, withoutCredentials } from '@twitch-pipeline/schemas';
import { CliError, EXIT } from '../cli/errors';

/** The variables read, lower case first as curl and undici read them. */
const PROXY_VARIABLES = {
  httpProxy: ['http_proxy', 'HTTP_PROXY'],
  httpsProxy: ['https_proxy', 'HTTPS_PROXY'],
  noProxy: ['no_proxy', 'NO_PROXY'],
} as const;

/** A fetch that goes through the configured proxy, and what to tell the user about it. */
export interface ProxiedFetch {
  fetch: typeof fetch;
  /**
   * The proxy for the target's scheme, without credentials: `proxy.example.com:3128 (HTTPS_PROXY)`;
   * undefined when only the other scheme's variable is set.
   */
  description: string | undefined;
  /** Closes the proxy connections, so the process can end. */
  close(): Promise<void>;
}

function firstSet(env: NodeJS.ProcessEnv, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/** `proxy.corp:3128` means `http://proxy.corp:3128`, as curl reads it. */
function proxyUrlOf(name: string, value: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL | undefined;
  try {
    url = new URL(withScheme);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw new CliError(`${name} is not an HTTP proxy URL (got "${withoutCredentials(value)}")`, {
      exitCode: EXIT.usage,
      hint: `set it to http://host:port (or http://user:password@host:port), or unset it to connect directly`,
    });
  }
  return url;
}

/** The URL a fetch call asks for, whatever form its input takes. */
function urlOf(input: Parameters<typeof fetch>[0]): URL {
  return new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
}

/**
 * A fetch through the proxy that `HTTPS_PROXY` / `HTTP_PROXY` name (`NO_PROXY` lists the hosts
 * reached directly), or `undefined` when neither is set. Credentials in the proxy URL are sent
 * to the proxy, never shown. `target` (the URL mostly asked) picks the proxy the description names.
 * This machine (a simulator on 127.0.0.1, a test server) is always reached directly, as Go's
 * HTTP clients do: through a proxy, the plain-http requests to it would carry the client secret and the
 * token to the proxy in clear text, and a remote proxy would reach its own 127.0.0.1.
 *
 * @example
 * const proxy = await openProxiedFetch(process.env, 'https://api.twitch.tv/helix');
 * const client = new HelixClient({ apiUrl, authUrl, clientId, clientSecret, ...(proxy ? { fetch: proxy.fetch } : {}) });
 */
export async function openProxiedFetch(env: NodeJS.ProcessEnv, target: string): Promise<ProxiedFetch | undefined> {
  const http = firstSet(env, PROXY_VARIABLES.httpProxy);
  const https = firstSet(env, PROXY_VARIABLES.httpsProxy);
  if (!http && !https) return undefined;
  const httpUrl = http ? proxyUrlOf(http.name, http.value) : undefined;
  const httpsUrl = https ? proxyUrlOf(https.name, https.value) : undefined;
  const noProxy = firstSet(env, PROXY_VARIABLES.noProxy)?.value ?? '';
  const { Agent, EnvHttpProxyAgent, fetch: undiciFetch } = await import('undici');
  const dispatcher = new EnvHttpProxyAgent({
    // Passed explicitly so that the scheme-less form is read as curl reads it; an unset one falls
    // back as undici's own reading does (HTTPS requests use HTTP_PROXY when HTTPS_PROXY is unset).
    httpProxy: httpUrl?.href ?? '',
    httpsProxy: (httpsUrl ?? httpUrl)?.href ?? '',
    noProxy,
  });
  const direct = new Agent();
  const targetUrl = new URL(target);
  const secure = targetUrl.protocol === 'https:';
  const used = isLoopbackHostname(targetUrl.hostname)
    ? undefined
    : secure && https
      ? { name: https.name, url: httpsUrl! }
      : http
        ? { name: http.name, url: httpUrl! }
        : undefined;
  const proxiedFetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as never, { ...(init as object), dispatcher: isLoopbackHostname(urlOf(input).hostname) ? direct : dispatcher } as never)) as unknown as typeof fetch;
  return {
    fetch: proxiedFetch,
    description: used ? `${used.url.host} (${used.name}${noProxy ? `; NO_PROXY ${noProxy}` : ''})` : undefined,
    close: async () => {
      await Promise.all([dispatcher.close(), direct.close()]);
    },
  };
}
