import { appendCorrelationKeys, beginInvocation, createLogger, createMetrics, type Logger, type Metrics } from '@twitch-pipeline/observability';
import { clearScratchLeftovers, InvalidStepInputError, lambdaScratchFolder, runSilver } from '@twitch-pipeline/pipeline';
import { executionNameSchema, parseLakeKey, snapshotTime } from '@twitch-pipeline/schemas';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { lambdaDeadline } from './lambda-deadline';
import { lambdaEngineOptions, TRANSFORM_SCRATCH } from './lambda-engine-options';
import { listingWindow } from './listing-window';
import { type SilverOutput, silverOutput } from './step-output';
import { type TransformHandlerDependencies, transformContext } from './transform-context';

/** Input of the silver function: the bronze objects to transform, or nothing for "every new one". */
export interface SilverEvent {
  bronzeKeys?: string[];
  /** Also transform every bronze object that has no silver object (one an interrupted run or a torn write left). */
  includePending?: boolean;
  /** The Step Functions execution it runs in, logged as `execution_name`. */
  executionName?: string;
}

const eventSchema = z.object({
  bronzeKeys: z.array(z.string().min(1)).optional(),
  includePending: z.boolean().optional(),
  executionName: executionNameSchema.optional(),
});

/**
 * The run's slot: its snapshot's scheduled collection time (the state machine gives one key). Of
 * several keys given by hand, the oldest, so that the partitions listed cover every key's date.
 */
function slotOf(bronzeKeys: readonly ReturnType<typeof parseLakeKey>[]): Date | undefined {
  const times = bronzeKeys.flatMap((key) => {
    const time = snapshotTime(key?.snapshotId ?? '');
    return time ? [time] : [];
  });
  return times.length > 0 ? new Date(times.sort()[0]!) : undefined;
}

/**
 * Builds the silver Lambda handler: bronze objects are downloaded from `LAKE_BUCKET` into /tmp,
 * transformed by DuckDB on local files and the silver and quarantine objects uploaded (each
 * upload is atomic). Without `bronzeKeys` every bronze object that has no silver object yet is
 * transformed. Objects that failed are returned in `failed`, after the others have landed:
 * the state machine builds gold for the dates that did land, then fails the execution naming
 * them, as the CLI's cycle does, so one bad object never holds back every later cycle's gold.
 * They stay pending, and the next run tries them again; reprocessing rewrites identical rows.
 * The output keeps every date but only the first objects of each list (see `silverOutput`), so
 * no backlog makes it too large for Step Functions; the lists are logged whole.
 *
 * @example
 * export const handler = createSilverHandler();
 * // Step Functions input: { "bronzeKeys": ["raw/streams/dt=2026-11-29/20261129T213000Z.parquet"] }
 */
export function createSilverHandler(dependencies: TransformHandlerDependencies & { logger?: Logger; metrics?: Metrics } = {}) {
  const logger = dependencies.logger ?? createLogger('transform-silver');
  const metrics = dependencies.metrics ?? createMetrics('transform-silver', logger);
  const context = transformContext(dependencies);
  const env = dependencies.env ?? process.env;
  clearScratchLeftovers(lambdaScratchFolder(TRANSFORM_SCRATCH, env), env, logger);

  return async function handler(event: SilverEvent | null | undefined, lambdaContext?: Context): Promise<SilverOutput> {
    beginInvocation({ logger, metrics }, lambdaContext);
    try {
      const input = eventSchema.safeParse(event ?? {});
      if (!input.success) throw new InvalidStepInputError('invalid silver input: expected { "bronzeKeys"?: string[], "executionName"?: a Step Functions execution name }');
      const snapshots = (input.data.bronzeKeys ?? []).map(parseLakeKey);
      appendCorrelationKeys(logger, {
        // One text, as extract, publish and gold log it: a list is a field of its own per entry in
        // Logs Insights, which `filter snapshot_id = "…"` over one cycle's lines would not find.
        snapshot_id: snapshots.map((key) => key?.snapshotId ?? 'unknown').join(','),
        dt: [...new Set(snapshots.map((key) => key?.dt ?? 'unknown'))],
        execution_name: input.data.executionName,
      });
      const { config, store } = context();
      const slot = slotOf(snapshots);
      const summary = await runSilver({
        store,
        timeZone: config.timeZone,
        intervalMinutes: config.intervalMinutes,
        bronzeKeys: input.data.bronzeKeys,
        includePending: input.data.includePending,
        // A run whose keys name no snapshot (by hand: "every new one") looks at the whole history.
        listFrom: slot ? listingWindow(slot, config.intervalMinutes) : undefined,
        stop: lambdaDeadline(lambdaContext),
        engineOptions: lambdaEngineOptions(env),
        logger,
        metrics,
      });
      return silverOutput(summary, logger);
    } catch (error) {
      logger.error('silver failed', error as Error);
      throw error;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

/** The silver Lambda: `{ bronzeKeys?: string[] }` in, the run's summary, its lists cut, out. */
export const handler = createSilverHandler();
