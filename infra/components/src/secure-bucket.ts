import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { type PolicyStatement, policyDocument, tlsOnlyStatement } from './policy';

/** Where a bucket's S3 server access logs go. */
export interface AccessLogTarget {
  /**
   * The bucket receiving the logs: a {@link SecureBucket} on SSE-S3 (refused when it is on SSE-KMS), or
   * any bucket by name. Its policy must admit `logging.s3.amazonaws.com`: with ACLs disabled, no ACL
   * grant can.
   */
  bucket: SecureBucket | { name: pulumi.Input<string> };
  /** Key prefix of this bucket's logs in the target, ending in `/` so that buckets sharing a target do not mix. */
  prefix: string;
}

/** Options of a {@link SecureBucket}. */
export interface SecureBucketArgs {
  /** Customer-managed KMS key for SSE-KMS; SSE-S3 (AES256) when absent. */
  kmsKeyArn?: pulumi.Input<string>;
  /** Keeps every version of every object, so an overwritten or deleted object can be restored. */
  versioned?: boolean;
  /**
   * Days a replaced or deleted version is kept before it expires (versioned buckets only); also
   * removes delete markers left with no version behind them. Absent: versions are kept until a
   * rule of `lifecycleRules` expires them.
   */
  noncurrentVersionDays?: number;
  /** Lifecycle rules (transitions, expirations); incomplete multipart uploads are always aborted after 7 days. */
  lifecycleRules?: aws.types.input.s3.BucketLifecycleConfigurationRule[];
  /** Lets `pulumi destroy` delete a bucket that still holds objects (dev stacks only). */
  forceDestroy?: boolean;
  /** Extra bucket-policy statements, added after the TLS-only deny. */
  policyStatements?: (bucketArn: pulumi.Output<string>) => PolicyStatement[];
  /**
   * Records every request made to the bucket (requester, operation, key, result) as S3 server
   * access logs in another bucket. Absent: no request is recorded, except by CloudTrail's
   * management events, which leave out object reads and writes.
   */
  accessLogs?: AccessLogTarget;
}

/**
 * An S3 bucket that is private, encrypted at rest and reachable over TLS only: public
 * access blocked, ACLs disabled, default encryption, a bucket policy denying plain HTTP,
 * optional versioning (with expiry of noncurrent versions), lifecycle and server access logs.
 *
 * @example
 * const lake = new SecureBucket('lake', { versioned: true, noncurrentVersionDays: 30, lifecycleRules: [{ id: 'raw-ia', status: 'Enabled', filter: { prefix: 'raw/' }, transitions: [{ days: 30, storageClass: 'STANDARD_IA' }] }] });
 * const logged = new SecureBucket('results', { accessLogs: { bucket: accessLogs.bucket, prefix: 'results/' } });
 */
export class SecureBucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  /** Bucket name. */
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  /** True when the bucket's default encryption is SSE-KMS. */
  readonly kmsEncrypted: boolean;
  readonly policy: aws.s3.BucketPolicy;

  constructor(name: string, args: SecureBucketArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super('twitch-pipeline:storage:SecureBucket', name, {}, opts);
    if (args.noncurrentVersionDays !== undefined && !args.versioned) {
      throw new Error(`bucket ${name}: noncurrentVersionDays needs versioned: true (an unversioned bucket keeps no old versions)`);
    }
    if (args.noncurrentVersionDays !== undefined && !(Number.isInteger(args.noncurrentVersionDays) && args.noncurrentVersionDays >= 1)) {
      throw new Error(`bucket ${name}: noncurrentVersionDays must be a whole number of days, at least 1 (got ${args.noncurrentVersionDays})`);
    }
    if (args.accessLogs) checkAccessLogTarget(name, args.accessLogs);
    const child = { parent: this };
    this.kmsEncrypted = args.kmsKeyArn !== undefined;

    this.bucket = new aws.s3.Bucket(name, { forceDestroy: args.forceDestroy ?? false }, child);
    this.name = this.bucket.bucket;
    this.arn = this.bucket.arn;
    const bucket = this.bucket.id;

    new aws.s3.BucketOwnershipControls(
      name,
      { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } },
      child,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      name,
      { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      child,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      name,
      {
        bucket,
        rules: [
          {
            applyServerSideEncryptionByDefault: args.kmsKeyArn
              ? { sseAlgorithm: 'aws:kms', kmsMasterKeyId: args.kmsKeyArn }
              : { sseAlgorithm: 'AES256' },
            // An S3 bucket key cuts KMS requests (and their cost) by orders of magnitude.
            bucketKeyEnabled: args.kmsKeyArn !== undefined,
          },
        ],
      },
      child,
    );
    const versioning = args.versioned
      ? new aws.s3.BucketVersioning(name, { bucket, versioningConfiguration: { status: 'Enabled' } }, child)
      : undefined;
    const noncurrentRules: aws.types.input.s3.BucketLifecycleConfigurationRule[] =
      args.noncurrentVersionDays === undefined
        ? []
        : [
            {
              id: 'expire-noncurrent-versions',
              status: 'Enabled',
              filter: {},
              noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays },
              expiration: { expiredObjectDeleteMarker: true },
            },
          ];
    new aws.s3.BucketLifecycleConfiguration(
      name,
      {
        bucket,
        rules: [
          {
            id: 'abort-incomplete-multipart-uploads',
            status: 'Enabled',
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
          ...noncurrentRules,
          ...(args.lifecycleRules ?? []),
        ],
      },
      // Rules on noncurrent versions apply once versioning is on.
      { ...child, dependsOn: versioning ? [versioning] : [] },
    );
    this.policy = new aws.s3.BucketPolicy(
      name,
      {
        bucket,
        policy: policyDocument([tlsOnlyStatement(this.arn), ...(args.policyStatements?.(this.arn) ?? [])]),
      },
      { ...child, dependsOn: [publicAccess] },
    );
    if (args.accessLogs) {
      const target = args.accessLogs.bucket;
      new aws.s3.BucketLogging(
        name,
        {
          bucket,
          targetBucket: target.name,
          targetPrefix: args.accessLogs.prefix,
          // <prefix><account>/<region>/<bucket>/YYYY/MM/DD/…: a day of one bucket's logs is one
          // key prefix to list, copy or query (Athena partition projection) without a scan of the rest.
          targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: 'EventTime' } },
        },
        // S3 writes the logs under the target's policy: it has to admit the log service first.
        { ...child, dependsOn: target instanceof SecureBucket ? [target.policy] : [] },
      );
    }
    this.registerOutputs({ name: this.name, arn: this.arn });
  }
}

function checkAccessLogTarget(name: string, target: AccessLogTarget): void {
  if (!/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/$/.test(target.prefix)) {
    throw new Error(`bucket ${name}: accessLogs.prefix must be a key prefix ending in "/", e.g. "${name}/" (got "${target.prefix}")`);
  }
  // S3 delivers logs into a bucket on SSE-S3 with no further grant; into one on SSE-KMS only when
  // the key's policy admits the logging service, which nothing here grants, so they would never arrive.
  if (target.bucket instanceof SecureBucket && target.bucket.kmsEncrypted) {
    throw new Error(`bucket ${name}: access logs would not arrive in a bucket encrypted with SSE-KMS (no grant here lets the logging service use its key); give the log bucket SSE-S3`);
  }
}
