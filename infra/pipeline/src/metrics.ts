import { CATALOGUED_METRIC_NAMES, type CataloguedMetricName, METRICS_NAMESPACE } from '@twitch-pipeline/observability';
import type { FunctionName } from './config';

/** A custom metric as CloudWatch addresses it: namespace, name and dimensions. */
export interface CustomMetricAddress {
  namespace: string;
  name: CataloguedMetricName;
  dimensions: Record<string, string>;
}

/**
 * The address of a catalogued metric: every one carries only the `service` dimension, the
 * stack's own (its resource prefix, which its functions get as `METRICS_SERVICE_VARIABLE`), so
 * that stacks sharing an account and region never read one another's series.
 *
 * @example
 * customMetric('StreamsWritten', 'twitch-pipeline-prod'); // { namespace: 'TwitchPipeline', name: 'StreamsWritten', dimensions: { service: 'twitch-pipeline-prod' } }
 */
function customMetric(name: CataloguedMetricName, service: string): CustomMetricAddress {
  return { namespace: METRICS_NAMESPACE, name, dimensions: { service } };
}

/** The catalogued metrics the dashboard shows, and how; a catalogue entry missing here and from every alarm fails the budget test. */
export const CUSTOM_METRIC_DISPLAY: Partial<Record<CataloguedMetricName, { label: string; stat: string }>> = {
  StreamsWritten: { label: 'Snapshots landed (extract)', stat: 'SampleCount' },
  ColdStart: { label: 'Cold starts (all functions)', stat: 'Sum' },
};

/**
 * The custom metrics of the dashboard's "Snapshots and cold starts" widget, for a stack's
 * `service` dimension.
 *
 * @example
 * dashboardCustomMetrics('twitch-pipeline-prod').map((metric) => metric.name); // ['StreamsWritten', 'ColdStart']
 */
export function dashboardCustomMetrics(service: string): CustomMetricAddress[] {
  return (Object.keys(CUSTOM_METRIC_DISPLAY) as CataloguedMetricName[]).map((name) => customMetric(name, service));
}

/**
 * The signal of a fresh bronze snapshot, for a stack's `service` dimension: extract emits
 * `StreamsWritten` once per snapshot it lands (even with zero streams), so its sample count
 * counts snapshots.
 *
 * @example
 * freshnessMetric('twitch-pipeline-prod').stat; // 'SampleCount'
 */
export function freshnessMetric(service: string): CustomMetricAddress & { stat: 'SampleCount' } {
  return { ...customMetric('StreamsWritten', service), stat: 'SampleCount' };
}

/**
 * A dashboard widget over the functions' logs (CloudWatch Logs Insights): the figures the metrics
 * budget keeps out of CloudWatch metrics. `figures.<Name>` fields are the `figures` log line of
 * the Powertools Metrics; a bare metric name is a field of an EMF line.
 */
export interface LogWidget {
  title: string;
  functions: FunctionName[];
  query: string;
  view: 'timeSeries' | 'table';
}

/** The log widgets: what each step did per run, and where cold starts happen. */
export const LOG_WIDGETS: LogWidget[] = [
  {
    title: 'Extract per run (logs)',
    functions: ['extract'],
    query:
      'filter message = "figures" and ispresent(figures.HelixPages) | stats sum(figures.StreamsQuarantined) as quarantined, sum(figures.HelixPages) as pages, sum(figures.HelixRetries) as retries, sum(figures.HelixRateLimited) as rate_limited by bin(30m)',
    view: 'timeSeries',
  },
  {
    title: 'Streams collected by language, last period (logs)',
    functions: ['extract'],
    query:
      'filter message = "figures" and ispresent(figures.StreamsCollected) | stats sum(figures.StreamsCollected) as streams by dimensions.language | sort streams desc',
    view: 'table',
  },
  {
    title: 'Real-time path (logs)',
    functions: ['publish', 'stream-consumer'],
    query:
      'filter message = "figures" | stats sum(figures.EventsPublished) as published, sum(figures.MessagesPublished) as messages, sum(figures.EventsWritten) as written, sum(figures.InvalidMessages) as invalid by bin(30m)',
    view: 'timeSeries',
  },
  {
    title: 'Transforms (logs)',
    functions: ['transform-silver', 'transform-gold'],
    query:
      'filter message = "figures" | stats sum(figures.SilverRowsOut) as silver_rows, sum(figures.SilverRowsQuarantined) as quarantined, sum(figures.GoldDates) as gold_dates by bin(30m)',
    view: 'timeSeries',
  },
  {
    title: 'Cold starts by function (logs)',
    functions: ['extract', 'publish', 'stream-consumer', 'transform-silver', 'transform-gold'],
    query: 'filter ColdStart = 1 | stats count(*) as cold_starts by @log',
    view: 'table',
  },
];

/**
 * Names a Logs Insights query reads: `figures.<Name>` fields and bare catalogued metric names.
 *
 * @example
 * fieldsOf('filter ColdStart = 1 | stats sum(figures.HelixPages)'); // { figures: ['HelixPages'], metrics: ['ColdStart'] }
 */
export function fieldsOf(query: string): { figures: string[]; metrics: string[] } {
  const figures = [...query.matchAll(/figures\.([A-Za-z_]+)/g)].map((match) => match[1]!);
  const metrics = CATALOGUED_METRIC_NAMES.filter((name) => new RegExp(`(^|[^.\\w])${name}\\b`).test(query));
  return { figures: [...new Set(figures)], metrics };
}
