import { join, resolve } from 'node:path';
import { LocalAlertLog, localAlertHook, localAlertsDirectory } from '@twitch-pipeline/alerts';
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
  /** `<dataDir>/alerts`: the alerts log (once-only per rule and stream). */
  alerts: LocalAlertLog;
  /** The consumer's alerting hook; undefined when `ALERT_RULES_FILE` is not set. */
  onWritten?: OnWritten;
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
    // Rules are read and validated here, at start: a bad rules file stops the command at once.
    onWritten: localAlertHook(alertsConfig, table),
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
