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

/** What KMS CreateAlias takes in an AliasName besides the `alias/` before it. */
const ALIAS_CHARACTERS = /^[A-Za-z0-9/_-]+$/;

/**
 * Throws, at preview, when the customer-managed key is on and the stack name holds a character its
 * alias `alias/<prefix>-pulumi-secrets` cannot: Pulumi accepts dots in stack names, KMS refuses
 * them in aliases, and only at up, once the key exists.
 *
 * @example
 * assertAliasFits('prod-eu', 'twitch-pipeline-prod-eu'); // passes
 * assertAliasFits('prod.eu', 'twitch-pipeline-prod.eu'); // throws: … for example "prod-eu"
 */
function assertAliasFits(stack: string, prefix: string): void {
  const alias = `alias/${prefix}-pulumi-secrets`;
  if (ALIAS_CHARACTERS.test(alias)) return;
  throw new Error(
    `stack name "${stack}" cannot name the alias ${alias} of the customer-managed key: KMS takes letters, digits, "/", "_" and "-" only; ` +
      `create the stack under such a name, for example "${stack.replace(/[^A-Za-z0-9_-]+/g, '-')}" (pulumi stack init <name>), or leave customerManagedKey off`,
  );
}

/**
 * Reads the bootstrap settings, with defaults for keys left unset; refuses at preview a stack name
 * the customer-managed key's alias cannot carry.
 *
 * @example
 * const { prefix, customerManagedKey } = loadBootstrapConfig();
 */
export function loadBootstrapConfig(): BootstrapConfig {
  const config = new pulumi.Config();
  const prefix = `twitch-pipeline-${pulumi.getStack()}`;
  const customerManagedKey = config.getBoolean('customerManagedKey') ?? false;
  if (customerManagedKey) assertAliasFits(pulumi.getStack(), prefix);
  return {
    prefix,
    stateVersionRetentionDays: getWholeNumber(config, 'stateVersionRetentionDays', { min: 1 }) ?? 90,
    customerManagedKey,
    keyDeletionWindowDays: getWholeNumber(config, 'keyDeletionWindowDays', { min: 7, max: 30 }) ?? 30,
    forceDestroy: config.getBoolean('forceDestroy') ?? false,
    accessLogExpirationDays: getWholeNumber(config, 'accessLogExpirationDays', { min: 1 }) ?? 90,
  };
}
