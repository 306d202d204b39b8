import { z } from 'zod';

const LANGUAGE = /^([a-z]{2,3}(-[a-z]{2,4})?|other)$/;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/**
 * The zone in its database spelling when it was typed in another case (`america/sao_paulo`):
 * silver records the zone it dated each row in, and two spellings of one zone would read as two.
 * A link (`Asia/Kolkata`) stays as written, though the runtime may name it otherwise.
 */
function zoneAsSpelled(value: string): string {
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  return resolved.toLowerCase() === value.toLowerCase() ? resolved : value;
}

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/**
 * A Twitch application credential (client id or secret), trimmed: Twitch issues letters and
 * digits, so one with a space, line break or control character inside was pasted wrong, and
 * would otherwise fail later as an invalid HTTP header, retried as if the network were down.
 *
 * @example
 * twitchCredentialSchema.parse(' abc123\n'); // 'abc123'
 */
export const twitchCredentialSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((value) => !/[\s\p{Cc}]/u.test(value), 'must not hold spaces, line breaks or control characters inside (pasted with one?)');

const optionalCredential = optionalText.pipe(twitchCredentialSchema.optional());

// The digits are the whole-number check: `.int()` would answer 20 digits with zod's "Too big:
// expected int to be <=9007199254740991" before `max` could say the variable's own limit.
const positiveInt = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a positive whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a URL's host name (as `URL.hostname` gives it) is this machine: `localhost`, 127.0.0.0/8
 * or `[::1]`.
 *
 * @example
 * isLoopbackHostname(new URL('http://127.0.0.1:8787/helix').hostname); // true
 */
export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** Whether a URL is https, or http to this machine only (the simulator, a test server). */
function isSafeTwitchUrl(value: string): boolean {
  // An unparsable value is already reported as an invalid URL.
  if (!URL.canParse(value)) return true;
  const url = new URL(value);
  return url.protocol === 'https:' || isLoopbackHostname(url.hostname);
}

function isBareBaseUrl(value: string): boolean {
  if (!URL.canParse(value)) return true;
  const url = new URL(value);
  return url.username === '' && url.password === '' && !/[?#]/.test(value);
}

const twitchUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/ })
    .default(fallback)
    .refine(isSafeTwitchUrl, 'must be https (plain http only to a loopback host such as 127.0.0.1): it carries the app credentials and tokens')
    // Request paths are appended to the base: after a query or fragment they would be part of it.
    .refine(isBareBaseUrl, 'must be a base URL without user:password@, ?query or #fragment: request paths are appended to it');

/** Default of `PIPELINE_MAX_SNAPSHOT_AGE_MINUTES`: a late schedule and the step retries fit well within it. */
export const DEFAULT_MAX_SNAPSHOT_AGE_MINUTES = 180;

/** Environment variables the pipeline reads, with their defaults (same names locally and in Lambda). */
const pipelineEnvSchema = z.object({
  TWITCH_CLIENT_ID: optionalCredential,
  TWITCH_CLIENT_SECRET: optionalCredential,
  TWITCH_SECRET_ARN: optionalText,
  TWITCH_API_URL: twitchUrl('https://api.twitch.tv/helix'),
  TWITCH_AUTH_URL: twitchUrl('https://id.twitch.tv/oauth2'),
  PIPELINE_LANGUAGES: z
    .string()
    .default('pt,en,es')
    // Each language once: `pt,PT, pt` would crawl pt three times over.
    .transform((value) => [...new Set(value.split(',').map((part) => part.trim().toLowerCase()).filter(Boolean))])
    .refine((list) => list.length > 0, 'must list at least one language, or "all"')
    .refine(
      (list) => (list.includes('all') ? list.length === 1 : list.every((lang) => LANGUAGE.test(lang))),
      'must be a comma list of ISO 639-1 codes such as "pt,en,es", or "all" alone',
    ),
  PIPELINE_MAX_STREAMS_PER_LANGUAGE: positiveInt(1, 10_000_000).optional(),
  PIPELINE_INTERVAL_MINUTES: positiveInt(1, 1440).default(30),
  PIPELINE_MAX_SNAPSHOT_AGE_MINUTES: positiveInt(1, 7 * 24 * 60).default(DEFAULT_MAX_SNAPSHOT_AGE_MINUTES),
  PIPELINE_TIMEZONE: z.string().default('America/Sao_Paulo').refine(isTimeZone, 'must be an IANA time zone').transform(zoneAsSpelled),
  PIPELINE_DATA_DIR: z.string().min(1).default('./data'),
  LAKE_BUCKET: optionalText,
  EVENTS_QUEUE_URL: optionalText,
  EVENTS_DLQ_URL: optionalText,
  REALTIME_TABLE: optionalText,
  REALTIME_TTL_HOURS: positiveInt(1, 24 * 366).default(48),
  QUEUE_MAX_RECEIVES: positiveInt(1, 1000).default(3),
  QUEUE_VISIBILITY_TIMEOUT_SECONDS: positiveInt(1, 43_200).default(60),
  ALERT_RULES_FILE: optionalText,
  ALERT_RULES: optionalText,
  ALERTS_TOPIC_ARN: optionalText,
});

/**
 * The names of the environment variables the pipeline reads, from the one schema that reads them.
 *
 * @example
 * PIPELINE_ENV_VARIABLES.includes('PIPELINE_TIMEZONE'); // true
 */
export const PIPELINE_ENV_VARIABLES: readonly string[] = Object.keys(pipelineEnvSchema.shape);

/** The validated pipeline configuration. */
export interface PipelineConfig {
  twitch: {
    clientId?: string;
    clientSecret?: string;
    secretArn?: string;
    apiUrl: string;
    authUrl: string;
  };
  /** Languages to crawl; `['all']` means no language filter. */
  languages: string[];
  maxStreamsPerLanguage?: number;
  intervalMinutes: number;
  /** Oldest collection time (minutes before now) a scheduled extract accepts; only a backfill goes further back. */
  maxSnapshotAgeMinutes: number;
  timeZone: string;
  dataDir: string;
  aws: {
    lakeBucket?: string;
    eventsQueueUrl?: string;
    eventsDlqUrl?: string;
    realtimeTable?: string;
    alertsTopicArn?: string;
  };
  realtimeTtlHours: number;
  queueMaxReceives: number;
  queueVisibilityTimeoutSeconds: number;
  alertRulesFile?: string;
  /** Alert rules as inline JSON (how the pipeline stack hands them to the consumer Lambda). */
  alertRules?: string;
}

/** Variables whose values must never appear in an error message or log. */
const SECRET_VARIABLES = new Set(['TWITCH_CLIENT_SECRET']);

/**
 * A value as an error may show it, without what may carry credentials: everything up to its last
 * `@` (after a scheme, or without one: a malformed value's password may hold `/`, `?` or `#`, so
 * no URL rule tells where it ends), and a URL's query and fragment.
 *
 * @example
 * withoutCredentials('http://user:pa/ss@proxy:3128/?token=x'); // 'http://proxy:3128/'
 * withoutCredentials('user:pass@proxy:3128'); // 'proxy:3128'
 * withoutCredentials('user:pass'); // 'user:…'
 */
export function withoutCredentials(value: string): string {
  const [, scheme = '', rest = ''] = /^([a-z][a-z0-9+.-]*:\/\/)?(.*)$/is.exec(value) ?? [];
  const afterUser = rest.replace(/^.*@/s, '').replace(/[?#].*$/s, '');
  // A "port" that is no number is a password whose host was forgotten (`user:password`): hidden whole.
  return scheme + afterUser.replace(/^([^/:[]*):(?!\d*(?:\/|$)).*$/s, '$1:…');
}

/** One bad environment variable and why. */
export interface ConfigProblem {
  variable: string;
  problem: string;
}

/**
 * Thrown at start when any variable is invalid; its message names every bad variable at once.
 *
 * @example
 * try {
 *   loadConfig({ ...process.env, PIPELINE_INTERVAL_MINUTES: 'often' });
 * } catch (error) {
 *   if (!(error instanceof ConfigError)) throw error;
 *   for (const { variable, problem } of error.problems) console.error(`${variable}: ${problem}`);
 * }
 */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[], env: Record<string, string | undefined>) {
    const lines = problems.map(({ variable, problem }) => {
      const value = env[variable];
      const shown = SECRET_VARIABLES.has(variable) || value === undefined ? '' : ` (got "${withoutCredentials(value)}")`;
      return `  - ${variable}: ${problem}${shown}`;
    });
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Reads and validates the pipeline configuration from environment variables.
 * Throws one {@link ConfigError} naming every bad variable; secret values are never echoed.
 *
 * @example
 * const config = loadConfig(process.env);
 * console.log(config.languages, config.intervalMinutes);
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): PipelineConfig {
  const known = Object.fromEntries(
    Object.keys(pipelineEnvSchema.shape).flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]]])),
  );
  const parsed = pipelineEnvSchema.safeParse(known);
  const problems: ConfigProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '(environment)'), problem: issue.message }));
  const hasId = Boolean(env.TWITCH_CLIENT_ID?.trim());
  const hasSecret = Boolean(env.TWITCH_CLIENT_SECRET?.trim());
  if (hasId !== hasSecret) {
    problems.push({
      variable: hasId ? 'TWITCH_CLIENT_SECRET' : 'TWITCH_CLIENT_ID',
      problem: 'TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET must be set together (or both left unset for the simulator)',
    });
  }
  // One of them would be ignored without a word, however broken it is.
  if (env.ALERT_RULES_FILE?.trim() && env.ALERT_RULES?.trim()) {
    problems.push({ variable: 'ALERT_RULES', problem: 'ALERT_RULES_FILE and ALERT_RULES are both set: set one of them, not both' });
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems, env);
  const value = parsed.data;
  return {
    twitch: {
      clientId: value.TWITCH_CLIENT_ID,
      clientSecret: value.TWITCH_CLIENT_SECRET,
      secretArn: value.TWITCH_SECRET_ARN,
      apiUrl: value.TWITCH_API_URL.replace(/\/+$/, ''),
      authUrl: value.TWITCH_AUTH_URL.replace(/\/+$/, ''),
    },
    languages: value.PIPELINE_LANGUAGES,
    maxStreamsPerLanguage: value.PIPELINE_MAX_STREAMS_PER_LANGUAGE,
    intervalMinutes: value.PIPELINE_INTERVAL_MINUTES,
    maxSnapshotAgeMinutes: value.PIPELINE_MAX_SNAPSHOT_AGE_MINUTES,
    timeZone: value.PIPELINE_TIMEZONE,
    dataDir: value.PIPELINE_DATA_DIR,
    aws: {
      lakeBucket: value.LAKE_BUCKET,
      eventsQueueUrl: value.EVENTS_QUEUE_URL,
      eventsDlqUrl: value.EVENTS_DLQ_URL,
      realtimeTable: value.REALTIME_TABLE,
      alertsTopicArn: value.ALERTS_TOPIC_ARN,
    },
    realtimeTtlHours: value.REALTIME_TTL_HOURS,
    queueMaxReceives: value.QUEUE_MAX_RECEIVES,
    queueVisibilityTimeoutSeconds: value.QUEUE_VISIBILITY_TIMEOUT_SECONDS,
    alertRulesFile: value.ALERT_RULES_FILE,
    alertRules: value.ALERT_RULES,
  };
}
