export { canonicalTimestamp, categoryAlertKey, categoryKey, partialKeyOf, streamAlertKey } from './alert-keys';
export { type AlertHookOptions, type ChannelSamples, createAlertHook } from './alert-hook';
export { loadAlertRules, loadAlertRulesSync, parseAlertRules } from './alert-rules';
export { type AlertRulesChange, AlertRulesFile } from './alert-rules-file';
export { awsAlertHook, type LocalAlerting, localAlertHook, localAlertsDirectory, localAlerting } from './alerting-setup';
export { AlertRulesError } from './alert-rules-error';
export { UnreadableAlertRulesError } from './unreadable-alert-rules-error';
export { DynamoAlertLedger, type DynamoAlertLedgerOptions } from './aws/dynamo-alert-ledger';
export { DynamoCategoryAudience, type DynamoCategoryAudienceOptions } from './aws/dynamo-category-audience';
export { RESERVED_PREFIXES } from './aws/reserved-keys';
export { SnsAlertPublisher, type SnsAlertPublisherOptions } from './aws/sns-alert-publisher';
export { AlertClaimedElsewhereError } from './alert-claimed-elsewhere-error';
export {
  type AdjacentSample,
  DEFAULT_CLAIM_LEASE_MS,
  type EvaluateAlertsOptions,
  evaluateAlerts,
  type Sample,
} from './evaluate-alerts';
export { type AlertLogListing, type ListAlertsOptions, LocalAlertLog, type UnreadableAlertRecord } from './local/local-alert-log';
export { LocalCategoryAudience } from './local/local-category-audience';
export type { AlertClaim, AlertLedger, AlertPublisher, CategoryAudiencePartial, CategoryAudienceStore } from './ports';
