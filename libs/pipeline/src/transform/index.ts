export { type CorruptObject, corruptObjectKey, quarantineCorruptObject } from './corrupt-objects';
export { runOnEnginePool } from './engine-pool';
export { type GoldPendingMarker, listGoldPending } from './gold-pending';
export { buildEstimate, ESTIMATE_WINDOW_SAMPLES, goldModelVersion } from './gold-date';
export { runGold } from './gold-step';
export { LakeWorkspace } from './lake-workspace';
export { MODEL_VERSION_KEY, type ModelLayer } from './model-version';
export { pendingBronzeKeys } from './pending-bronze';
export { ReconciliationError, silverModelVersion } from './silver-object';
export { runSilver } from './silver-step';
export type {
  GoldOptions,
  GoldSummary,
  OutdatedSilverObject,
  SilverObjectResult,
  SilverOptions,
  SilverSummary,
} from './transform-types';
