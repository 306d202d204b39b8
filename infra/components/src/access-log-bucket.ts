import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { logDeliveryStatement } from './policy';
import { type AccessLogTarget, SecureBucket } from './secure-bucket';

/** Options of an {@link AccessLogBucket}. */
export interface AccessLogBucketArgs {
  /** Days a log object is kept before it expires; a whole number, at least 1. */
  expirationDays: number;
  /** Lets `pulumi destroy` delete the bucket while it still holds logs. */
  forceDestroy?: boolean;
}

/**
 * The bucket a stack's S3 server access logs go to: a {@link SecureBucket} (private, TLS-only,
 * ACLs disabled) on SSE-S3, unversioned, whose logs expire after the given days, and whose policy
 * lets only `logging.s3.amazonaws.com` write into it, for the buckets it {@link admit}s of this
 * account. It is not logged itself: logging its own deliveries would log without end.
 *
 * Create it first, give its {@link target} to each logged bucket, then {@link admit} those
 * buckets once: the policy names their ARNs, which exist only after they do.
 *
 * @example
 * const accessLogs = new AccessLogBucket('access-logs', { expirationDays: 90 });
 * const lake = new SecureBucket('lake', { accessLogs: accessLogs.target('lake/') });
 * accessLogs.admit([lake]);
 */
export class AccessLogBucket extends pulumi.ComponentResource {
  readonly bucket: SecureBucket;
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  private readonly resolveSources: (sources: pulumi.Output<string[]>) => void;
  private admitted = false;

  constructor(name: string, args: AccessLogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super('twitch-pipeline:storage:AccessLogBucket', name, {}, opts);
    if (!(Number.isInteger(args.expirationDays) && args.expirationDays >= 1)) {
      throw new Error(`bucket ${name}: expirationDays must be a whole number of days, at least 1 (got ${args.expirationDays})`);
    }
    const [sourceArns, resolveSources] = pulumi.deferredOutput<string[]>();
    this.resolveSources = resolveSources;
    const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    this.bucket = new SecureBucket(
      name,
      {
        // No kmsKeyArn: S3 delivers logs into a bucket on SSE-S3 with no further grant (on SSE-KMS,
        // the key's policy would have to admit the logging service), and SSE-S3 costs nothing.
        // Unversioned: a log object is written once and never replaced, so versions would only
        // keep deleted logs past their expiry.
        forceDestroy: args.forceDestroy ?? false,
        lifecycleRules: [{ id: 'expire-access-logs', status: 'Enabled', filter: {}, expiration: { days: args.expirationDays } }],
        policyStatements: (arn) => [logDeliveryStatement(arn, accountId, sourceArns)],
      },
      { parent: this },
    );
    this.name = this.bucket.name;
    this.arn = this.bucket.arn;
    this.registerOutputs({ name: this.name, arn: this.arn });
  }

  /**
   * Where a bucket's logs go: this bucket, under its own prefix.
   *
   * @example
   * new SecureBucket('lake', { accessLogs: accessLogs.target('lake/') });
   */
  target(prefix: string): AccessLogTarget {
    return { bucket: this.bucket, prefix };
  }

  /**
   * Admits log delivery from these buckets, and from no other; call it once, with every bucket
   * logged here (the bucket policy waits for it).
   *
   * @example
   * accessLogs.admit([lake, athenaResults]);
   */
  admit(sources: { arn: pulumi.Input<string> }[]): void {
    if (this.admitted) throw new Error('AccessLogBucket.admit: call it once, with every bucket logged there');
    if (sources.length === 0) throw new Error('AccessLogBucket.admit: name at least one logged bucket');
    this.admitted = true;
    this.resolveSources(pulumi.all(sources.map((source) => source.arn)));
  }
}
