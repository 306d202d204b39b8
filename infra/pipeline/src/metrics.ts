import { METRICS_NAMESPACE } from '@twitch-pipeline/observability';
import type { FunctionName } from './config';

/** A custom metric the pipeline emits (Powertools EMF, dimension `service` = the function). */
export interface PipelineMetric {
  name: string;
  service: FunctionName;
  label: string;
}

/** The pipeline's own metrics on the dashboard, grouped by the step that emits them. */
export const PIPELINE_METRICS: PipelineMetric[] = [
  { name: 'StreamsWritten', service: 'extract', label: 'Streams written to bronze' },
  { name: 'StreamsQuarantined', service: 'extract', label: 'Records quarantined at extract' },
  { name: 'HelixRetries', service: 'extract', label: 'Helix retries' },
  { name: 'HelixRateLimited', service: 'extract', label: 'Helix 429 responses' },
  { name: 'EventsPublished', service: 'publish', label: 'Events published' },
  { name: 'MessagesPublished', service: 'publish', label: 'Queue messages sent' },
  { name: 'EventsWritten', service: 'stream-consumer', label: 'Events written to DynamoDB' },
  { name: 'InvalidMessages', service: 'stream-consumer', label: 'Invalid messages' },
  { name: 'SilverRowsOut', service: 'transform-silver', label: 'Silver rows written' },
  { name: 'SilverRowsQuarantined', service: 'transform-silver', label: 'Records quarantined at silver' },
  { name: 'GoldDates', service: 'transform-gold', label: 'Gold dates rewritten' },
];

/** Extract also emits `StreamsCollected` once per crawled language (dimensions service and language). */
export const STREAMS_BY_LANGUAGE_SEARCH = `SEARCH('{${METRICS_NAMESPACE},language,service} MetricName="StreamsCollected" service="extract"', 'Sum', 1800)`;

/**
 * The signal of a fresh bronze snapshot: extract emits `StreamsWritten` once per snapshot it
 * lands (even with zero streams), so its sample count counts snapshots.
 */
export const FRESHNESS_METRIC = {
  namespace: METRICS_NAMESPACE,
  name: 'StreamsWritten',
  service: 'extract' as FunctionName,
  stat: 'SampleCount',
} as const;
