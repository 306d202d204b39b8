import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { BudgetedMetrics, type FigureSink } from './budgeted-metrics';
import type { MetricEmitter } from './metrics-catalogue';

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
