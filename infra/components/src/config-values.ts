import type * as pulumi from '@pulumi/pulumi';

/** The bounds a whole-number setting accepts. */
export interface WholeNumberRange {
  min?: number;
  max?: number;
}

/**
 * A whole-number setting, or `undefined` when unset. Pulumi's `getNumber` takes `7.5` (a schedule
 * of `cron(0/7.5 …)`, a function of 1536.5 MB) and `30days`; this refuses them at preview, naming
 * the key.
 *
 * @example
 * getWholeNumber(new pulumi.Config(), 'intervalMinutes', { min: 1, max: 1440 }) ?? 30; // 30 when unset
 */
export function getWholeNumber(config: pulumi.Config, key: string, range: WholeNumberRange = {}): number | undefined {
  const text = config.get(key);
  if (text === undefined) return undefined;
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  const fix = `set it with "pulumi config set ${key} <value>"`;
  const fullKey = `${config.name}:${key}`;
  if (!Number.isSafeInteger(value)) throw new Error(`${fullKey} must be a whole number (got "${text}"); ${fix}`);
  if (range.min !== undefined && value < range.min) throw new Error(`${fullKey} must be at least ${range.min} (got ${value}); ${fix}`);
  if (range.max !== undefined && value > range.max) throw new Error(`${fullKey} must be at most ${range.max} (got ${value}); ${fix}`);
  return value;
}

/**
 * The retention periods CloudWatch Logs accepts, in days (PutRetentionPolicy's `retentionInDays`).
 * Its 0, "never expire", is left out: every log group of the stacks expires.
 */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * A log retention setting, or `undefined` when unset: CloudWatch Logs refuses any other number of
 * days than {@link LOG_RETENTION_DAYS} only at `pulumi up`, so preview refuses it, naming the key.
 *
 * @example
 * getLogRetentionDays(new pulumi.Config(), 'logRetentionDays') ?? 30; // 10 throws: 7 or 14
 */
export function getLogRetentionDays(config: pulumi.Config, key: string): number | undefined {
  const days = getWholeNumber(config, key, { min: 1 });
  if (days === undefined || (LOG_RETENTION_DAYS as readonly number[]).includes(days)) return days;
  const below = LOG_RETENTION_DAYS.filter((allowed) => allowed < days).at(-1);
  const above = LOG_RETENTION_DAYS.find((allowed) => allowed > days);
  const nearest = [below, above].filter((allowed) => allowed !== undefined).join(' or ');
  throw new Error(
    `${config.name}:${key} is ${days} days, which CloudWatch Logs refuses: it keeps logs ${LOG_RETENTION_DAYS.join(', ')} days; ` +
      `use ${nearest} with "pulumi config set ${key} <days>"`,
  );
}
