export { AppTokenProvider, type AppTokenProviderOptions } from './app-token-provider';
export { fullJitterDelay, sleep } from './backoff';
export {
  type CrawledRecord,
  type CrawlRequest,
  type CrawlResult,
  type CrawlTally,
  HelixClient,
  type HelixClientOptions,
} from './helix-client';
export type { HelixCallCounters, HelixRetryOptions } from './helix-http';
export type { HelixLogger } from './helix-logger';
export { type HelixFailureKind, HelixRequestError, isCredentialRefusal, redactTokens } from './helix-request-error';
export { parseRateLimitHeaders, type RateLimitHeaders, RateLimitPacer, type RateLimitPacerOptions } from './rate-limit-pacer';
