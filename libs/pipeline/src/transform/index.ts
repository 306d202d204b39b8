export { type CorruptObject, corruptObjectKey, quarantineCorruptObject } from './corrupt-objects';
export { runOnEnginePool } from './engine-pool';
export { runGold } from './gold-step';
export { LakeWorkspace } from './lake-workspace';
export { pendingBronzeKeys } from './pending-bronze';
export { ReconciliationError } from './silver-object';
export { runSilver } from './silver-step';
export type {
  GoldOptions,
  GoldSummary,
  SilverObjectResult,
  SilverOptions,
  SilverSummary,
} from './transform-types';
