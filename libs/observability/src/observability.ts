import { Logger, LogLevelThreshold } from '@aws-lambda-powertools/logger';
import type { LogItemExtraInput, LogItemMessage } from '@aws-lambda-powertools/logger/types';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { BudgetedMetrics, type FigureSink } from './budgeted-metrics';
import type { MetricEmitter } from './metrics-catalogue';

/**
 * A Logger that drops lines below a floor of its own. Powertools lets the level of Lambda's
 * log-level filter (`AWS_LAMBDA_LOG_LEVEL`) override the one it is given, and the stacks keep
 * that filter at INFO or below so the EMF metric lines, which carry no level, reach CloudWatch.
 */
class FloorLogger extends Logger {
  readonly #floor: number;

  constructor(serviceName: string, floor: number) {
    super({ serviceName, logLevel: (process.env.POWERTOOLS_LOG_LEVEL as never) ?? 'INFO' });
    this.#floor = floor;
  }

  protected override processLogItem(logLevel: number, input: LogItemMessage, extraInput: LogItemExtraInput): void {
    if (logLevel >= this.#floor) super.processLogItem(logLevel, input, extraInput);
  }
}

/**
 * A Powertools Logger for one service (structured JSON). It writes no line below the level in
 * `POWERTOOLS_LOG_LEVEL`, nor below Lambda's own log-level filter when the function has one.
 *
 * @example
 * const logger = createLogger('extract');
 * logger.info('snapshot written', { rows: 95000 });
 */
export function createLogger(serviceName: string): Logger {
  const configured = (process.env.POWERTOOLS_LOG_LEVEL ?? '').toUpperCase() as keyof typeof LogLevelThreshold;
  return new FloorLogger(serviceName, LogLevelThreshold[configured] ?? 0);
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
