import { join } from 'node:path';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AlertRecord, PipelineConfig } from '@twitch-pipeline/schemas';
import { type AlertHookOptions, type ChannelSamples, createAlertHook } from './alert-hook';
import { loadAlertRulesSync, parseAlertRules } from './alert-rules';
import { type AlertRulesChange, AlertRulesFile } from './alert-rules-file';
import { DynamoAlertLedger } from './aws/dynamo-alert-ledger';
import { DynamoCategoryAudience } from './aws/dynamo-category-audience';
import { DEFAULT_CLAIM_LEASE_MS } from './evaluate-alerts';
import { SnsAlertPublisher } from './aws/sns-alert-publisher';
import { LocalAlertLog } from './local/local-alert-log';
import { LocalCategoryAudience } from './local/local-category-audience';

type Hook = ReturnType<typeof createAlertHook>;
type RulesConfig = Pick<PipelineConfig, 'alertRulesFile' | 'alertRules'>;

/**
 * The claim lease of the local consumer: half the queue's visibility timeout (at most the
 * default), so that a message redelivered after a crash always finds the lease over.
 */
function localClaimLeaseMs(visibilityTimeoutSeconds: number | undefined): number {
  return visibilityTimeoutSeconds === undefined ? DEFAULT_CLAIM_LEASE_MS : Math.min(DEFAULT_CLAIM_LEASE_MS, (visibilityTimeoutSeconds * 1000) / 2);
}

/** The configured rules: `ALERT_RULES` (inline JSON) or `ALERT_RULES_FILE` (the configuration refuses both at once); none when neither is set. */
function configuredRules(config: RulesConfig) {
  if (config.alertRules) return parseAlertRules(config.alertRules, 'ALERT_RULES');
  return config.alertRulesFile ? loadAlertRulesSync(config.alertRulesFile) : undefined;
}

/**
 * The local alerts directory: `<dataDir>/alerts` (the log the `alerts` command lists) and its
 * `audience/` sub-folder (category audience parts).
 *
 * @example
 * new LocalAlertLog(localAlertsDirectory(config));
 */
export function localAlertsDirectory(config: Pick<PipelineConfig, 'dataDir'>): string {
  return join(config.dataDir, 'alerts');
}

/** The local consumer's alerting: its hook, and the means to pick up an edit of the rules file. */
export interface LocalAlerting {
  onWritten: Hook;
  /**
   * Reads `ALERT_RULES_FILE` again if it changed since the last check (see
   * {@link AlertRulesFile.check}); the hook evaluates the rules it reloaded from then on.
   * Undefined when the file is unchanged, or the rules are not a file's.
   */
  checkRules(): AlertRulesChange | undefined;
}

/**
 * The local consumer's alerting. The rules (`ALERT_RULES` or `ALERT_RULES_FILE`) are read and
 * validated here, at start: a bad file throws an {@link AlertRulesError}. With none, the hook
 * raises nothing and only marks each snapshot seen, so a category rule set later never compares
 * with a snapshot from before a stretch without rules. A collector calls `checkRules` at each
 * cycle, so that an edit of the file applies without a restart.
 *
 * @example
 * const alerting = localAlerting(config, table);
 * await drainLocalQueue({ queue, table, ttlHours, onWritten: alerting.onWritten });
 * const change = alerting.checkRules(); // before the next cycle
 */
export function localAlerting(
  config: Pick<PipelineConfig, 'dataDir'> & Partial<Pick<PipelineConfig, 'queueVisibilityTimeoutSeconds'>> & RulesConfig,
  table: ChannelSamples,
  onAlert?: (alert: AlertRecord) => void,
): LocalAlerting {
  // ALERT_RULES comes first, as in configuredRules: the configuration refuses both at once.
  const file = !config.alertRules && config.alertRulesFile ? AlertRulesFile.open(config.alertRulesFile) : undefined;
  const fixedRules = file ? undefined : configuredRules(config);
  const directory = localAlertsDirectory(config);
  // One ledger and one category store for every version of the rules: a reload keeps the alerts
  // already sent and the snapshots already seen, so it neither repeats an alert nor loses a baseline.
  const ledger = new LocalAlertLog(directory);
  const categoryAudience = new LocalCategoryAudience(join(directory, 'audience'));
  const claimLeaseMs = localClaimLeaseMs(config.queueVisibilityTimeoutSeconds);
  const hookFor = (rules: AlertHookOptions['rules']) => createAlertHook({ rules, table, ledger, categoryAudience, onAlert, claimLeaseMs });
  let hook = hookFor(file?.rules ?? fixedRules ?? []);
  return {
    onWritten: (events) => hook(events),
    checkRules: () => {
      const change = file?.check();
      if (change?.outcome === 'reloaded') hook = hookFor(change.rules);
      return change;
    },
  };
}

/**
 * The local consumer's alert hook, with the rules read at start (see {@link localAlerting}).
 *
 * @example
 * const onWritten = localAlertHook(config, table);
 */
export function localAlertHook(
  config: Pick<PipelineConfig, 'dataDir'> & Partial<Pick<PipelineConfig, 'queueVisibilityTimeoutSeconds'>> & RulesConfig,
  table: ChannelSamples,
  onAlert?: (alert: AlertRecord) => void,
): Hook {
  return localAlerting(config, table, onAlert).onWritten;
}

/**
 * The Lambda consumer's alert hook, or `undefined` when no rules are configured (`ALERT_RULES` or
 * `ALERT_RULES_FILE`): the ledger and category parts in the real-time table (`REALTIME_TABLE`),
 * and SNS (`ALERTS_TOPIC_ARN`) when a topic is configured. Rules are validated at start. Unlike
 * the local hook, none is kept without rules: rules change with a deployment, not between runs,
 * and marks would put an item per snapshot in the table of a deployment that alerts on nothing.
 *
 * @example
 * const onWritten = awsAlertHook(config, table, DynamoDBDocumentClient.from(new DynamoDBClient({})));
 */
export function awsAlertHook(
  config: Pick<PipelineConfig, 'aws' | 'realtimeTtlHours'> & RulesConfig,
  table: ChannelSamples,
  client: DynamoDBDocumentClient,
  options: { sns?: SNSClient } & Pick<AlertHookOptions, 'onAlert' | 'onUnmarked'> = {},
): Hook | undefined {
  const rules = configuredRules(config);
  if (!rules) return undefined;
  const tableName = config.aws.realtimeTable;
  if (!tableName) throw new Error('alert rules are set but REALTIME_TABLE is not: alerts need the real-time table');
  const topicArn = config.aws.alertsTopicArn;
  return createAlertHook({
    rules,
    table,
    ledger: new DynamoAlertLedger({ client, tableName }),
    categoryAudience: new DynamoCategoryAudience({ client, tableName, ttlHours: config.realtimeTtlHours }),
    publishers: topicArn ? [new SnsAlertPublisher({ client: options.sns, topicArn })] : [],
    onAlert: options.onAlert,
    onUnmarked: options.onUnmarked,
  });
}
