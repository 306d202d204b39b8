import { appendCorrelationKeys, beginInvocation, createLogger, createMetrics, type Logger, type Metrics } from '@twitch-pipeline/observability';
import { clearScratchLeftovers, InvalidStepInputError, lambdaScratchFolder, runGold } from '@twitch-pipeline/pipeline';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { EARLIEST_SNAPSHOT_DATE, executionNameSchema, snapshotIdFor } from '@twitch-pipeline/schemas';
import { lambdaDeadline } from './lambda-deadline';
import { listingWindow } from './listing-window';
import { lambdaEngineOptions, TRANSFORM_SCRATCH } from './lambda-engine-options';
import { type GoldOutput, goldOutput } from './step-output';
import { type TransformHandlerDependencies, transformContext } from './transform-context';

/** Input of the gold function: the dates whose gold partitions are rebuilt. */
export interface GoldEvent {
  dates: string[];
  /** The run's slot, its snapshot's scheduled collection time (ISO-8601): it decides what the run lists; the whole history when absent. */
  collectedAt?: string;
  /** The Step Functions execution it runs in, logged as `execution_name`. */
  executionName?: string;
}

/** The day after today in UTC: the local date of a snapshot taken now in UTC+14, the latest any zone names. */
function tomorrowUtc(): string {
  return new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 10);
}

const eventSchema = z.object({
  /** The run's slot (its snapshot's scheduled collection time), which decides what it lists; set by the state machine. */
  collectedAt: z.iso.datetime({ offset: true }).optional(),
  executionName: executionNameSchema.optional(),
  dates: z.array(
    z.iso
      .date()
      .refine((date) => date >= EARLIEST_SNAPSHOT_DATE, `is before ${EARLIEST_SNAPSHOT_DATE}`)
      .refine((date) => date <= tomorrowUtc(), 'is after tomorrow: no snapshot names it yet'),
  ),
});

function inputProblems(error: z.ZodError, event: unknown): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const value = issue.path.reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key], event);
      return `${issue.path.map(String).join('.') || '(input)'}${typeof value === 'string' ? ` "${value}"` : ''}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * Builds the gold Lambda handler: for each date given, and each date a silver object not yet in
 * gold names (its marker under `pending/gold/`), that date's silver objects are downloaded from
 * `LAKE_BUCKET` into /tmp, every gold table is recomputed by DuckDB and its partition uploaded
 * whole (atomically). A date that fails is returned in `failed` (the state machine then fails the
 * execution after the other dates are published); dates not started before the deadline are
 * returned in `skipped`. Both stay pending for the next run. The output keeps every date but only
 * the first objects of each list (see `goldOutput`); the lists are logged whole.
 *
 * @example
 * export const handler = createGoldHandler();
 * // Step Functions input: { "dates": ["2026-11-29"] }
 */
export function createGoldHandler(dependencies: TransformHandlerDependencies & { logger?: Logger; metrics?: Metrics } = {}) {
  const logger = dependencies.logger ?? createLogger('transform-gold');
  const metrics = dependencies.metrics ?? createMetrics('transform-gold', logger);
  const context = transformContext(dependencies);
  const env = dependencies.env ?? process.env;
  clearScratchLeftovers(lambdaScratchFolder(TRANSFORM_SCRATCH, env), env, logger);

  return async function handler(event: GoldEvent | null | undefined, lambdaContext?: Context): Promise<GoldOutput> {
    beginInvocation({ logger, metrics }, lambdaContext);
    try {
      const input = eventSchema.safeParse(event ?? {});
      if (!input.success) throw new InvalidStepInputError(`invalid gold input (${inputProblems(input.error, event)}): expected { "dates": ["YYYY-MM-DD", ...] }`);
      const { collectedAt, executionName } = input.data;
      // The snapshot id joins this run's lines to the same cycle's extract, publish and silver lines.
      appendCorrelationKeys(logger, {
        dt: input.data.dates,
        snapshot_id: collectedAt ? snapshotIdFor(new Date(collectedAt)) : undefined,
        execution_name: executionName,
      });
      const { config, store } = context();
      const summary = await runGold({
        store,
        dates: input.data.dates,
        // And the dates of silver objects no gold has folded in yet: a failed or timed-out run's.
        includePending: true,
        // A run by hand names no slot: it looks at the whole history, as silver's without keys does,
        // so that it rebuilds a date whose partition was deleted, however old.
        listFrom: collectedAt ? listingWindow(new Date(collectedAt), config.intervalMinutes) : undefined,
        stop: lambdaDeadline(lambdaContext),
        silver: { timeZone: config.timeZone, intervalMinutes: config.intervalMinutes },
        engineOptions: lambdaEngineOptions(env),
        logger,
        metrics,
      });
      return goldOutput(summary, logger);
    } catch (error) {
      logger.error('gold failed', error as Error);
      throw error;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

/** The gold Lambda: `{ dates: string[] }` in, the run's summary (rows per table, failed and skipped dates), its lists cut, out. */
export const handler = createGoldHandler();
