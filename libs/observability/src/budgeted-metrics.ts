import type { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, type MetricUnit } from '@aws-lambda-powertools/metrics';
import { isCatalogued, METRICS_NAMESPACE, type MetricEmitter, metricsService } from './metrics-catalogue';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** Where a figure that is not in the metrics budget is written. */
export type FigureSink = Pick<Logger, 'info'>;

/** Options of {@link BudgetedMetrics}. */
export interface BudgetedMetricsOptions {
  /** The function recording figures; the catalogue says which metrics it may emit. */
  emitter: MetricEmitter;
  /** Receives the `figures` log line; without one, uncatalogued figures are discarded. */
  figureSink?: FigureSink;
  /** Internal: a single-metric instance (see Powertools `singleMetric()`). */
  single?: { dimensions: Record<string, string> };
}

/**
 * Powertools Metrics that spend only the metrics budget: a catalogued name (see
 * `METRIC_CATALOGUE`) becomes an EMF metric under the `TwitchPipeline` namespace with the one
 * `service` dimension of its stack (`metricsService`); any other figure is summed into a structured `figures` log
 * line written when the metrics are published (or at once for a single metric), so no step has to
 * know what a CloudWatch series costs.
 *
 * @example
 * const metrics = new BudgetedMetrics({ emitter: 'extract', figureSink: logger });
 * metrics.addMetric('StreamsWritten', MetricUnit.Count, 300); // EMF
 * metrics.addMetric('HelixPages', MetricUnit.Count, 3); // log field figures.HelixPages
 * metrics.publishStoredMetrics();
 */
export class BudgetedMetrics extends Metrics {
  readonly #options: BudgetedMetricsOptions;
  readonly #dimensions: Record<string, string>;
  #figures: Record<string, number> = {};

  constructor(options: BudgetedMetricsOptions) {
    super({
      namespace: METRICS_NAMESPACE,
      serviceName: metricsService(),
      ...(options.single ? { singleMetric: true } : {}),
    });
    this.#options = options;
    this.#dimensions = {};
    for (const [name, value] of Object.entries(options.single?.dimensions ?? {})) this.addDimension(name, value);
  }

  override addDimension(name: string, value: string): this {
    this.#dimensions[name] = value;
    return super.addDimension(name, value);
  }

  override addDimensions(dimensions: Record<string, string>): this {
    Object.assign(this.#dimensions, dimensions);
    return super.addDimensions(dimensions);
  }

  override clearDimensions(): void {
    for (const name of Object.keys(this.#dimensions)) delete this.#dimensions[name];
    super.clearDimensions();
  }

  override addMetric(name: string, unit: Unit, value: number): this {
    if (isCatalogued(name, this.#options.emitter, Object.keys(this.#dimensions))) return super.addMetric(name, unit, value);
    this.#figures[name] = (this.#figures[name] ?? 0) + value;
    if (this.#options.single) this.#writeFigures();
    return this;
  }

  override publishStoredMetrics(): this {
    this.#writeFigures();
    if (this.hasStoredMetrics()) super.publishStoredMetrics();
    return this;
  }

  override singleMetric(): BudgetedMetrics {
    return new BudgetedMetrics({ ...this.#options, single: { dimensions: { ...this.#dimensions } } });
  }

  /**
   * Emits `ColdStart` once per container, as one series for the stack (no `function_name`
   * dimension: per-function cold starts come from the logs' `cold_start` field).
   */
  override captureColdStartMetric(): void {
    if (!this.getColdStart()) return;
    this.singleMetric().addMetric('ColdStart', 'Count', 1);
  }

  #writeFigures(): void {
    if (Object.keys(this.#figures).length === 0) return;
    const dimensions = Object.keys(this.#dimensions).length > 0 ? { dimensions: { ...this.#dimensions } } : {};
    this.#options.figureSink?.info('figures', { figures: this.#figures, ...dimensions });
    this.#figures = {};
  }
}
