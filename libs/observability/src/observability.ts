import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { BudgetedMetrics, type FigureSink } from './budgeted-metrics';
import type { MetricEmitter } from './metrics-catalogue';

/** Keys whose values are replaced before a log line is written. */
const SECRET_KEY = /secret|token|password|authorization|client_id/i;

/**
 * Replaces the values of secret-looking keys, at any depth, so that no log line carries one.
 *
 * @example
 * redactSecrets({ clientSecret: 's3cr3t', ok: 1 }); // { clientSecret: '[redacted]', ok: 1 }
 */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(redactSecrets) as T;
  if (value && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Error)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, SECRET_KEY.test(key) ? '[redacted]' : redactSecrets(inner)]),
    ) as T;
  }
  return value;
}

/**
 * A Powertools Logger for one service (structured JSON; level from `POWERTOOLS_LOG_LEVEL`).
 *
 * @example
 * const logger = createLogger('extract');
 * logger.info('snapshot written', { rows: 95000 });
 */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName, logLevel: (process.env.POWERTOOLS_LOG_LEVEL as never) ?? 'INFO' });
}

/**
 * Powertools Metrics for one function that spend only the metrics budget: catalogued names
 * become CloudWatch EMF metrics, every other figure a field of the `figures` log line written
 * through `figureSink` (the function's logger).
 *
 * @example
 * const logger = createLogger('extract');
 * const metrics = createMetrics('extract', logger);
 * metrics.addMetric('StreamsWritten', MetricUnit.Count, 300);
 * metrics.publishStoredMetrics();
 */
export function createMetrics(emitter: MetricEmitter, figureSink?: FigureSink): Metrics {
  return new BudgetedMetrics({ emitter, figureSink });
}

export { Logger, Metrics, MetricUnit };
