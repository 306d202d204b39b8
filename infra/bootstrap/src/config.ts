import * as pulumi from '@pulumi/pulumi';

/** Settings of the bootstrap stack (`Pulumi.<stack>.yaml`, namespace `twitch-pipeline-bootstrap`). */
export interface BootstrapConfig {
  /** Prefix of named resources: `twitch-pipeline-<stack>`. */
  prefix: string;
  /** Days an overwritten state-file version is kept before it expires. */
  stateVersionRetentionDays: number;
  /** Deletion waiting period of the secrets key, 7 to 30 days. */
  keyDeletionWindowDays: number;
}

/** Every project key the stack reads; the stack files must set exactly these. */
export const BOOTSTRAP_CONFIG_KEYS = ['stateVersionRetentionDays', 'keyDeletionWindowDays'] as const;

/**
 * Reads the bootstrap settings, with defaults for keys left unset.
 *
 * @example
 * const { prefix } = loadBootstrapConfig();
 */
export function loadBootstrapConfig(): BootstrapConfig {
  const config = new pulumi.Config();
  return {
    prefix: `twitch-pipeline-${pulumi.getStack()}`,
    stateVersionRetentionDays: config.getNumber('stateVersionRetentionDays', { min: 1 }) ?? 90,
    keyDeletionWindowDays: config.getNumber('keyDeletionWindowDays', { min: 7, max: 30 }) ?? 30,
  };
}
