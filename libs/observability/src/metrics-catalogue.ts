/** CloudWatch namespace of every metric the pipeline emits. */
export const METRICS_NAMESPACE = 'TwitchPipeline';

/**
 * The `service` dimension of every custom metric outside a deployed stack (tests, local runs). One
 * value for all of a stack's functions keeps each metric a single CloudWatch series ($0.30 a month
 * each); which function logged a figure is in the logs' own `service` field.
 */
export const METRICS_SERVICE = 'twitch-pipeline';

/**
 * The environment variable naming the `service` dimension: a deployed stack sets it to its own
 * resource prefix, since stacks in one account and region share the namespace, and one stack's
 * snapshots must not keep another's freshness alarm quiet.
 */
export const METRICS_SERVICE_VARIABLE = 'PIPELINE_METRICS_SERVICE';

/**
 * The `service` dimension this process's custom metrics carry: {@link METRICS_SERVICE_VARIABLE}
 * when set, else {@link METRICS_SERVICE}.
 *
 * @example
 * metricsService({ PIPELINE_METRICS_SERVICE: 'twitch-pipeline-prod' }); // 'twitch-pipeline-prod'
 * metricsService({}); // 'twitch-pipeline'
 */
export function metricsService(env: NodeJS.ProcessEnv = process.env): string {
  return env[METRICS_SERVICE_VARIABLE]?.trim() || METRICS_SERVICE;
}

/** Functions that emit metrics, by the name their app's package.json gives them. */
export type MetricEmitter = 'extract' | 'publish' | 'stream-consumer' | 'transform-silver' | 'transform-gold';

/** One custom metric the budget pays for, and why. */
export interface CatalogueEntry {
  /** Dimension names besides `service` (none: each entry is one series). */
  dimensions: readonly string[];
  /** Functions allowed to emit it. */
  emittedBy: readonly MetricEmitter[] | 'every function';
  /** The alarm or dashboard widget that reads it: the reason it costs money. */
  readBy: string;
}

/**
 * The metrics budget: the only names that reach CloudWatch as EMF metrics. Every other figure a
 * step records (pages, retries, rows, durations, per-language counts) is written as a field of a
 * structured `figures` log line instead, which Logs Insights and the dashboard's log widgets read
 * at no monthly cost. A test fails when an entry is read by no alarm or widget.
 */
export const METRIC_CATALOGUE = {
  StreamsWritten: {
    dimensions: [],
    emittedBy: ['extract'],
    readBy: 'alarm no-fresh-snapshot (sample count = snapshots landed) and the dashboard widget "Snapshots and cold starts"',
  },
  ColdStart: {
    dimensions: [],
    emittedBy: 'every function',
    readBy: 'the dashboard widget "Snapshots and cold starts" (per function: the log widget "Cold starts by function")',
  },
} as const satisfies Record<string, CatalogueEntry>;

/** Name of a metric the budget pays for. */
export type CataloguedMetricName = keyof typeof METRIC_CATALOGUE;

/** Names of the catalogued metrics, in catalogue order. */
export const CATALOGUED_METRIC_NAMES = Object.keys(METRIC_CATALOGUE) as CataloguedMetricName[];

/**
 * Whether a metric recorded by `emitter` with these extra dimension names goes to CloudWatch
 * (true) or to the `figures` log line (false).
 *
 * @example
 * isCatalogued('StreamsWritten', 'extract', []); // true
 * isCatalogued('StreamsCollected', 'extract', ['language']); // false: a log field
 */
export function isCatalogued(name: string, emitter: MetricEmitter, dimensionNames: readonly string[]): boolean {
  const entry: CatalogueEntry | undefined = (METRIC_CATALOGUE as Record<string, CatalogueEntry>)[name];
  if (!entry) return false;
  const allowed = entry.emittedBy === 'every function' || entry.emittedBy.includes(emitter);
  const sameDimensions =
    entry.dimensions.length === dimensionNames.length && entry.dimensions.every((dimension) => dimensionNames.includes(dimension));
  return allowed && sameDimensions;
}
