import { join, resolve } from 'node:path';
import { type AlertRulesChange, LocalAlertLog, localAlerting, localAlertsDirectory } from '@twitch-pipeline/alerts';
import type { OnWritten } from '@twitch-pipeline/pipeline';
import type { PipelineConfig } from '@twitch-pipeline/schemas';
import { LocalEventQueue, LocalObjectStore, LocalRealtimeTable } from '@twitch-pipeline/storage';

/** The local adapters of the pipeline's ports, all under the data directory. */
export interface LocalRuntime {
  dataDir: string;
  /** `<dataDir>/lake`: the lake, same keys as the S3 bucket. */
  store: LocalObjectStore;
  /** `<dataDir>/queue`: the event queue and its dead-letter queue (SQS semantics). */
  queue: LocalEventQueue;
  /** `<dataDir>/realtime`: the real-time table (DynamoDB semantics: key upserts, TTL). */
  table: LocalRealtimeTable;
  /** `<dataDir>/runs`: one JSON record per cycle. */
  runsDir: string;
  /** `<dataDir>/alerts`: the alerts log (once-only per rule and stream, or per rule, category and crossing). */
  alerts: LocalAlertLog;
  /** The consumer's alerting hook; undefined when `ALERT_RULES_FILE` is not set. */
  onWritten?: OnWritten;
  /**
   * Reads `ALERT_RULES_FILE` again if it changed since start or the last check, for `onWritten`
   * to evaluate from then on; undefined when unchanged (see `AlertRulesFile.check`).
   */
  checkAlertRules(): AlertRulesChange | undefined;
}

/**
 * The local adapters for a configuration.
 *
 * @example
 * const runtime = localRuntime(loadConfig(process.env));
 * await runtime.store.list('raw/streams/');
 */
export function localRuntime(config: PipelineConfig): LocalRuntime {
  const dataDir = resolve(config.dataDir);
  const table = new LocalRealtimeTable(join(dataDir, 'realtime'));
  const alertsConfig = {
    dataDir,
    alertRulesFile: config.alertRulesFile,
    alertRules: config.alertRules,
    queueVisibilityTimeoutSeconds: config.queueVisibilityTimeoutSeconds,
  };
  // Rules are read and validated here, at start: a bad rules file stops the command at once.
  const alerting = localAlerting(alertsConfig, table);
  return {
    dataDir,
    store: new LocalObjectStore(join(dataDir, 'lake')),
    queue: new LocalEventQueue(join(dataDir, 'queue'), {
      visibilityTimeoutSeconds: config.queueVisibilityTimeoutSeconds,
      maxReceives: config.queueMaxReceives,
    }),
    table,
    runsDir: join(dataDir, 'runs'),
    alerts: new LocalAlertLog(localAlertsDirectory(alertsConfig)),
    onWritten: alerting.onWritten,
    checkAlertRules: alerting.checkRules,
  };
}

/**
 * Opens the local runtime for work: sweeps temporary files a killed process left in the lake,
 * so a run that was interrupted resumes from a clean lake.
 *
 * @example
 * const { runtime, swept } = await openLocalRuntime(config);
 */
export async function openLocalRuntime(config: PipelineConfig): Promise<{ runtime: LocalRuntime; swept: number }> {
  const runtime = localRuntime(config);
  const swept = await runtime.store.removeStaleTemporaryFiles();
  return { runtime, swept };
}

/**
 * Deletes the real-time table's segments whose items have all expired (DynamoDB's TTL, locally)
 * and says what happened, for the step's line. Housekeeping never fails the run whose items are
 * already written: a segment that cannot be read or removed is named with its reason, the others
 * are still handled, and the next run tries it again.
 *
 * @example
 * const note = await shedExpiredSegments(runtime); // '1 expired segment removed', or undefined
 */
export async function shedExpiredSegments(runtime: Pick<LocalRuntime, 'table'>): Promise<string | undefined> {
  let notes: string[];
  try {
    const { removed, unchecked } = await runtime.table.removeExpiredSegments();
    notes = [
      ...(removed > 0 ? [`${removed} expired segment${removed === 1 ? '' : 's'} removed`] : []),
      ...unchecked.map(({ segment, reason }) => `segment ${segment} not checked for expiry (${reason}); the next run tries again`),
    ];
  } catch (error) {
    notes = [`expired segments not removed (${(error as Error).message}); the next run tries again`];
  }
  return notes.length > 0 ? notes.join('; ') : undefined;
}
