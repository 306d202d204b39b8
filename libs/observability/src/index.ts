export { BudgetedMetrics, type BudgetedMetricsOptions, type FigureSink } from './budgeted-metrics';
export { appendCorrelationKeys, beginInvocation, type CorrelationKeys } from './invocation';
export {
  CATALOGUED_METRIC_NAMES,
  type CatalogueEntry,
  type CataloguedMetricName,
  isCatalogued,
  METRIC_CATALOGUE,
  METRICS_NAMESPACE,
  METRICS_SERVICE_VARIABLE,
  type MetricEmitter,
} from './metrics-catalogue';
export { createLogger, createMetrics, Logger, Metrics, MetricUnit } from './observability';
