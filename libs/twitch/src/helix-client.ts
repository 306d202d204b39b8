import { type HelixStreamsPage, helixStreamsPageSchema } from '@twitch-pipeline/schemas';
import { AppTokenProvider } from './app-token-provider';
import { type HelixCallCounters, HelixHttp, type HelixRetryOptions } from './helix-http';
import type { HelixLogger } from './helix-logger';
import { HelixRequestError } from './helix-request-error';
import { RateLimitPacer, type RateLimitPacerOptions } from './rate-limit-pacer';
import { StreamCollector } from './stream-collector';

/** Settings of a {@link HelixClient}. */
export interface HelixClientOptions {
  /** Helix base, e.g. `https://api.twitch.tv/helix` or a simulator's `apiUrl`. */
  apiUrl: string;
  /** OAuth base, e.g. `https://id.twitch.tv/oauth2`. */
  authUrl: string;
  clientId: string;
  clientSecret: string;
  logger?: HelixLogger;
  retry?: HelixRetryOptions;
  pacing?: RateLimitPacerOptions;
  /**
   * Pages one language may take (guards against cursor loops). A listing that still goes on
   * after the cap fails the crawl: a snapshot is complete or it fails. Default 5000.
   */
  maxPagesPerLanguage?: number;
  /** Restarts from the top one language may take after `400 invalid cursor`. Default 5. */
  maxRestartsPerLanguage?: number;
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof fetch;
}

/** What to crawl. */
export interface CrawlRequest {
  /** Language codes to crawl concurrently; `['all']` crawls without a language filter. */
  languages: string[];
  /** Stop a language after this many distinct streams (`100` is the original system's top 100). */
  maxPerLanguage?: number;
  /** Aborts the crawl and every wait in it at once. */
  signal?: AbortSignal;
  /**
   * Once aborted, a failed call is not retried and fails the crawl with its own error, while
   * calls that succeed go on: a crawl asked to stop still finishes when Twitch answers, and does
   * not wait out minutes of retries when it does not (the first Ctrl-C of `run`).
   */
  stopRetrying?: AbortSignal;
  /**
   * Counts the crawl adds to as it goes. A failed crawl rejects with its error alone, so this is
   * how a caller still learns what it spent (the pages, retries and 429s of an outage).
   */
  tally?: CrawlTally;
}

/** What a crawl has spent so far; see {@link CrawlRequest.tally}. */
export interface CrawlTally {
  /** Pages received (the empty page that ends a listing included). */
  pages: number;
  /** Helix requests sent, retries included: the rate-limit points spent. */
  requests: number;
  retries: number;
  rateLimited: number;
  /** Restarts of a language from its first page after `400 invalid cursor`. */
  restarts: number;
}

/** One collected record, as received (not validated), with the language query that found it. */
export interface CrawledRecord {
  queryLanguage: string;
  record: unknown;
}

/** The outcome of one crawl. */
export interface CrawlResult {
  /** Deduplicated by stream id, in crawl order, language by language. Not validated. */
  records: CrawledRecord[];
  /** Pages received (the empty page that ends a listing included). */
  pages: number;
  /** Helix requests sent, retries included: the rate-limit points spent. */
  requests: number;
  retries: number;
  rateLimited: number;
  restarts: number;
  durationMs: number;
}

const PAGE_SIZE = '100';

/** A `/streams` page, or a retried `bad-shape` failure for a body without its `data` array. */
function readStreamsPage(body: unknown): HelixStreamsPage {
  const parsed = helixStreamsPageSchema.safeParse(body);
  if (!parsed.success) throw new HelixRequestError('GET /streams returned a body without a data array', 'bad-shape', 200);
  return parsed.data;
}

/**
 * A small Helix client on Node's fetch, for crawling `GET /helix/streams`. One client holds one
 * app token and one rate-limit pacer, shared by all the language crawls it runs at once.
 *
 * @example
 * const client = new HelixClient({ apiUrl, authUrl, clientId, clientSecret });
 * const { records, pages } = await client.crawlStreams({ languages: ['pt', 'en', 'es'] });
 */
export class HelixClient {
  private readonly tokens: AppTokenProvider;
  private readonly pacer: RateLimitPacer;
  private readonly http: HelixHttp;

  constructor(private readonly options: HelixClientOptions) {
    const apiUrl = options.apiUrl.replace(/\/+$/, '');
    const authUrl = options.authUrl.replace(/\/+$/, '');
    this.tokens = new AppTokenProvider({
      authUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      logger: options.logger,
      fetch: options.fetch,
      requestTimeoutMs: options.retry?.requestTimeoutMs,
    });
    this.pacer = new RateLimitPacer(options.pacing);
    this.http = new HelixHttp({
      apiUrl,
      clientId: options.clientId,
      tokens: this.tokens,
      pacer: this.pacer,
      retry: options.retry,
      logger: options.logger,
      fetch: options.fetch,
    });
  }

  /** How many app tokens this client has obtained (the first one included). */
  get tokensIssued(): number {
    return this.tokens.tokensIssued;
  }

  /**
   * Crawls the live streams of every language concurrently, following cursors from the first
   * page each time (a cursor is never reused across crawls), and returns every stream once.
   */
  async crawlStreams(request: CrawlRequest): Promise<CrawlResult> {
    const startedAt = Date.now();
    const languages = [...new Set(request.languages.map((language) => language.trim().toLowerCase()))];
    if (languages.length === 0) throw new Error('crawlStreams needs at least one language, or "all"');
    if (languages.includes('all') && languages.length > 1) throw new Error('"all" crawls every language and cannot be combined with others');
    const counters: HelixCallCounters = { requests: 0, retries: 0, rateLimited: 0, tokenRenewals: 0 };
    const progress = { pages: 0, restarts: 0 };
    const collector = new StreamCollector();
    // The first language that fails stops the others: a snapshot is complete or it fails.
    const stop = new AbortController();
    const signal = request.signal ? AbortSignal.any([request.signal, stop.signal]) : stop.signal;
    try {
      await Promise.all(
        languages.map((language) =>
          this.crawlLanguage(language, { ...request, signal }, collector, counters, progress).catch((error: unknown) => {
            stop.abort(error);
            throw error;
          }),
        ),
      );
    } finally {
      // Settled or failed: a failed crawl's counts are the ones an outage shows in.
      const { tally } = request;
      if (tally) {
        tally.pages += progress.pages;
        tally.requests += counters.requests;
        tally.retries += counters.retries;
        tally.rateLimited += counters.rateLimited;
        tally.restarts += progress.restarts;
      }
    }
    const result: CrawlResult = {
      records: languages.flatMap((language) => collector.recordsOf(language).map((record) => ({ queryLanguage: language, record }))),
      pages: progress.pages,
      requests: counters.requests,
      retries: counters.retries,
      rateLimited: counters.rateLimited,
      restarts: progress.restarts,
      durationMs: Date.now() - startedAt,
    };
    this.options.logger?.info('crawl finished', {
      languages,
      streams: result.records.length,
      pages: result.pages,
      requests: result.requests,
      retries: result.retries,
      rateLimited: result.rateLimited,
      restarts: result.restarts,
      tokenRenewals: counters.tokenRenewals,
      durationMs: result.durationMs,
    });
    return result;
  }

  /** Pages through one language, counting its pages and restarts from the top in `progress`. */
  private async crawlLanguage(
    language: string,
    request: CrawlRequest,
    collector: StreamCollector,
    counters: HelixCallCounters,
    progress: { pages: number; restarts: number },
  ): Promise<void> {
    const maxPages = this.options.maxPagesPerLanguage ?? 5000;
    const maxRestarts = this.options.maxRestartsPerLanguage ?? 5;
    const cap = request.maxPerLanguage ?? Number.POSITIVE_INFINITY;
    const logger = this.options.logger;
    for (let restarts = 0; ; restarts += 1) {
      const pass = collector.startPass(language);
      let cursor: string | undefined;
      try {
        for (let page = 1; ; page += 1) {
          if (page > maxPages) {
            throw new HelixRequestError(
              `language "${language}" still had a next page after the cap of ${maxPages} pages: the snapshot would be incomplete, so it fails`,
              'incomplete',
            );
          }
          const query: Record<string, string> = { first: PAGE_SIZE };
          if (language !== 'all') query.language = language;
          if (cursor) query.after = cursor;
          const { data, pagination } = await this.http.getJson('/streams', query, counters, readStreamsPage, { signal: request.signal, stopRetrying: request.stopRetrying });
          progress.pages += 1;
          if (data.length === 0) return;
          const { looped } = pass.add(data, cap);
          if (cursor && looped) {
            logger?.warn('cursor led back to streams already seen; stopping this language', { language, page });
            return;
          }
          if (collector.countOf(language) >= cap || !pagination.cursor) return;
          cursor = pagination.cursor;
        }
      } catch (error) {
        if (!(error instanceof HelixRequestError && error.kind === 'invalid-cursor')) throw error;
        if (restarts >= maxRestarts) {
          throw new HelixRequestError(`${error.message} (gave up after ${restarts} restarts of language "${language}")`, 'invalid-cursor', 400);
        }
        progress.restarts += 1;
        logger?.warn('cursor refused mid-crawl; restarting this language from the first page', { language, restart: restarts + 1 });
      }
    }
  }
}
