export { createLogger, createMetrics, Logger, METRICS_NAMESPACE, Metrics, MetricUnit, redactSecrets } from './observability';
