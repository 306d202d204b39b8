import * as pulumi from '@pulumi/pulumi';
import { getWholeNumber } from '@twitch-pipeline/infra-components';

/** Settings of the bootstrap stack (`Pulumi.<stack>.yaml`, namespace `twitch-pipeline-bootstrap`). */
export interface BootstrapConfig {
  /** Prefix of named resources: `twitch-pipeline-<stack>`. */
  prefix: string;
  /** Days an overwritten state-file version is kept before it expires. */
  stateVersionRetentionDays: number;
  /**
   * Create a customer-managed KMS key ($1 a month) that encrypts the state bucket and the
   * stacks' secrets (`awskms://`); false keeps the bucket on SSE-S3 and the secrets on Pulumi's
   * passphrase provider, at no cost.
   */
  customerManagedKey: boolean;
  /** Deletion waiting period of the customer-managed key, 7 to 30 days. */
  keyDeletionWindowDays: number;
  /**
   * Lets `pulumi destroy` delete the state bucket with every object version and delete marker in
   * it; S3 refuses to delete a bucket that still holds any. Set it only to tear the stacks down.
   */
  forceDestroy: boolean;
  /** Days the state bucket's server access logs are kept before they expire. */
  accessLogExpirationDays: number;
}

/** Every project key the stack reads; the stack files must set exactly these. */
export const BOOTSTRAP_CONFIG_KEYS = [
  'stateVersionRetentionDays',
  'customerManagedKey',
  'keyDeletionWindowDays',
  'forceDestroy',
  'accessLogExpirationDays',
] as const;

/**
 * Reads the bootstrap settings, with defaults for keys left unset.
 *
 * @example
 * const { prefix, customerManagedKey } = loadBootstrapConfig();
 */
export function loadBootstrapConfig(): BootstrapConfig {
  const config = new pulumi.Config();
  return {
    prefix: `twitch-pipeline-${pulumi.getStack()}`,
    stateVersionRetentionDays: getWholeNumber(config, 'stateVersionRetentionDays', { min: 1 }) ?? 90,
    customerManagedKey: config.getBoolean('customerManagedKey') ?? false,
    keyDeletionWindowDays: getWholeNumber(config, 'keyDeletionWindowDays', { min: 7, max: 30 }) ?? 30,
    forceDestroy: config.getBoolean('forceDestroy') ?? false,
    accessLogExpirationDays: getWholeNumber(config, 'accessLogExpirationDays', { min: 1 }) ?? 90,
  };
}
