import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { AccessLogBucket, SecureBucket } from '@twitch-pipeline/infra-components';
import type { BootstrapConfig } from './config';

/** What the other stacks need to log in to the backend and encrypt their secrets. */
export interface StateBackend {
  bucket: SecureBucket;
  /** Receives the state bucket's server access logs (under `pulumi-state/`). */
  accessLogs: AccessLogBucket;
  /** The customer-managed key, when `customerManagedKey` is set. */
  secretsKey?: aws.kms.Key;
  /** `pulumi login` URL: `s3://<bucket>?region=<region>` (the region spares every user an AWS_REGION). */
  backendUrl: pulumi.Output<string>;
  /** `--secrets-provider` value: `passphrase`, or `awskms://alias/...?region=...` with the key. */
  secretsProvider: pulumi.Output<string>;
}

/**
 * Creates the Pulumi state backend: a private, TLS-only, versioned bucket. By default it is
 * encrypted with S3-managed keys (SSE-S3, free) and the stacks encrypt their secrets with Pulumi's
 * passphrase provider; with `customerManagedKey` a KMS key (rotated yearly, $1 a month) encrypts
 * both the bucket and the secrets, and its key policy can audit and restrict who decrypts them.
 * Every request to the state bucket is recorded as an S3 server access log in a bucket of its own,
 * kept for `accessLogExpirationDays`: on SSE-S3 no KMS record says who read the state, and
 * CloudTrail records no object reads without paid data events.
 *
 * @example
 * const backend = createStateBackend(loadBootstrapConfig());
 * export const backendUrl = backend.backendUrl;
 */
export function createStateBackend(config: BootstrapConfig): StateBackend {
  const region = aws.getRegionOutput().region;
  const secretsKey = config.customerManagedKey
    ? new aws.kms.Key('pulumi-secrets', {
        description: `${config.prefix}: Pulumi state and secrets encryption`,
        enableKeyRotation: true,
        deletionWindowInDays: config.keyDeletionWindowDays,
      })
    : undefined;
  const secretsKeyAlias = secretsKey
    ? new aws.kms.Alias('pulumi-secrets', { name: `alias/${config.prefix}-pulumi-secrets`, targetKeyId: secretsKey.keyId })
    : undefined;
  const accessLogs = new AccessLogBucket('access-logs', {
    expirationDays: config.accessLogExpirationDays,
    // The logs go with the state bucket they describe, and by the same key.
    forceDestroy: config.forceDestroy,
  });
  const bucket = new SecureBucket('pulumi-state', {
    ...(secretsKey ? { kmsKeyArn: secretsKey.arn } : {}),
    versioned: true,
    // The bucket outlives the stacks whose state it holds: their old versions stay for
    // stateVersionRetentionDays, so only forceDestroy lets a teardown delete it.
    forceDestroy: config.forceDestroy,
    lifecycleRules: [
      {
        id: 'expire-old-state-versions',
        status: 'Enabled',
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays: config.stateVersionRetentionDays },
      },
    ],
    accessLogs: accessLogs.target('pulumi-state/'),
  });
  accessLogs.admit([bucket]);
  return {
    bucket,
    accessLogs,
    secretsKey,
    backendUrl: pulumi.interpolate`s3://${bucket.name}?region=${region}`,
    secretsProvider: secretsKeyAlias ? pulumi.interpolate`awskms://${secretsKeyAlias.name}?region=${region}` : pulumi.output('passphrase'),
  };
}
