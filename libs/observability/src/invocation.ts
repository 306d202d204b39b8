import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';

/** Correlation keys of one invocation (`snapshot_id`, `dt`, message ids, …). */
export type CorrelationKeys = Record<string, string | number | string[] | undefined>;

/**
 * Starts one invocation's observability: drops the previous invocation's correlation keys, adds
 * the Lambda context (request id, `cold_start`) and this invocation's keys, and emits the
 * container's `ColdStart` metric on its first invocation. Call it first in every handler.
 *
 * @example
 * beginInvocation({ logger, metrics }, context, { snapshot_id: event.snapshotId });
 */
export function beginInvocation(
  tools: { logger: Logger; metrics: Pick<Metrics, 'captureColdStartMetric'> },
  context: Context | undefined,
  keys: CorrelationKeys = {},
): void {
  tools.logger.resetKeys();
  if (context) tools.logger.addContext(context);
  appendCorrelationKeys(tools.logger, keys);
  tools.metrics.captureColdStartMetric();
}

/**
 * Adds correlation keys learnt once the invocation's input is read, leaving out those it does not
 * have (an `execution_name` of a function invoked by hand), so that no line carries an empty key.
 *
 * @example
 * appendCorrelationKeys(logger, { snapshot_id: '20261129T213000Z', execution_name: event.executionName });
 */
export function appendCorrelationKeys(logger: Logger, keys: CorrelationKeys): void {
  logger.appendKeys(Object.fromEntries(Object.entries(keys).filter(([, value]) => value !== undefined)));
}
