import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { SecureBucket } from '@twitch-pipeline/infra-components';
import type { BootstrapConfig } from './config';

/** What the other stacks need to log in to the backend and encrypt their secrets. */
export interface StateBackend {
  bucket: SecureBucket;
  secretsKey: aws.kms.Key;
  secretsKeyAlias: aws.kms.Alias;
  /** `pulumi login` URL: `s3://<bucket>?region=<region>` (the region spares every user an AWS_REGION). */
  backendUrl: pulumi.Output<string>;
  /** `--secrets-provider` value: `awskms://alias/...?region=...`. */
  secretsProvider: pulumi.Output<string>;
}

/**
 * Creates the Pulumi state backend: a private, TLS-only, versioned bucket encrypted with a
 * customer-managed KMS key (rotated yearly) that also encrypts the stacks' secrets.
 *
 * @example
 * const backend = createStateBackend(loadBootstrapConfig());
 * export const backendUrl = backend.backendUrl;
 */
export function createStateBackend(config: BootstrapConfig): StateBackend {
  const secretsKey = new aws.kms.Key('pulumi-secrets', {
    description: `${config.prefix}: Pulumi state and secrets encryption`,
    enableKeyRotation: true,
    deletionWindowInDays: config.keyDeletionWindowDays,
  });
  const secretsKeyAlias = new aws.kms.Alias('pulumi-secrets', {
    name: `alias/${config.prefix}-pulumi-secrets`,
    targetKeyId: secretsKey.keyId,
  });
  const bucket = new SecureBucket('pulumi-state', {
    kmsKeyArn: secretsKey.arn,
    versioned: true,
    lifecycleRules: [
      {
        id: 'expire-old-state-versions',
        status: 'Enabled',
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays: config.stateVersionRetentionDays },
      },
    ],
  });
  const region = aws.getRegionOutput().region;
  return {
    bucket,
    secretsKey,
    secretsKeyAlias,
    backendUrl: pulumi.interpolate`s3://${bucket.name}?region=${region}`,
    secretsProvider: pulumi.interpolate`awskms://${secretsKeyAlias.name}?region=${region}`,
  };
}
