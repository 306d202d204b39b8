import * as pulumi from '@pulumi/pulumi';

/** One IAM policy statement; values may be Pulumi outputs (ARNs of resources not created yet). */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: pulumi.Input<string | Record<string, pulumi.Input<string | pulumi.Input<string>[]>>>;
  Action: pulumi.Input<string> | pulumi.Input<string>[];
  /** Absent only in trust policies, whose subject is the role itself. */
  Resource?: pulumi.Input<string> | pulumi.Input<string>[];
  Condition?: Record<string, Record<string, pulumi.Input<string | boolean | pulumi.Input<string>[]>>>;
}

/**
 * Serialises IAM statements into a policy document JSON string, resolving outputs first.
 *
 * @example
 * const policy = policyDocument([{ Effect: 'Allow', Action: 's3:GetObject', Resource: pulumi.interpolate`${bucket.arn}/raw/*` }]);
 */
export function policyDocument(statements: PolicyStatement[]): pulumi.Output<string> {
  return pulumi.jsonStringify(pulumi.output({ Version: '2012-10-17', Statement: statements }));
}

/**
 * Trust policy that lets one AWS service principal assume a role, optionally pinned to
 * the account that owns the role (prevents the confused-deputy problem).
 *
 * @example
 * new aws.iam.Role('extract', { assumeRolePolicy: assumeRolePolicy('lambda.amazonaws.com') });
 */
export function assumeRolePolicy(service: string, sourceAccount?: pulumi.Input<string>): pulumi.Output<string> {
  const statement: PolicyStatement = {
    Effect: 'Allow',
    Principal: { Service: service },
    Action: 'sts:AssumeRole',
  };
  if (sourceAccount !== undefined) statement.Condition = { StringEquals: { 'aws:SourceAccount': sourceAccount } };
  return policyDocument([statement]);
}

/**
 * Statement that denies every request to a bucket made without TLS.
 *
 * @example
 * policyDocument([tlsOnlyStatement(bucket.arn)]);
 */
export function tlsOnlyStatement(bucketArn: pulumi.Input<string>): PolicyStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/**
 * Statement letting S3 server access logging, and nothing else, write log objects into a bucket:
 * only for the logged buckets (`aws:SourceArn`) of one account (`aws:SourceAccount`), so another
 * account's bucket cannot be set to log into it (the confused-deputy problem). With object ACLs
 * disabled this statement is the only grant log delivery has.
 *
 * @example
 * policyDocument([tlsOnlyStatement(logs.arn), logDeliveryStatement(logs.arn, accountId, [lake.arn])]);
 */
export function logDeliveryStatement(
  logBucketArn: pulumi.Input<string>,
  sourceAccount: pulumi.Input<string>,
  sourceBucketArns: pulumi.Input<pulumi.Input<string>[]>,
): PolicyStatement {
  return {
    Sid: 'AllowServerAccessLogDelivery',
    Effect: 'Allow',
    Principal: { Service: 'logging.s3.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: pulumi.interpolate`${logBucketArn}/*`,
    Condition: {
      StringEquals: { 'aws:SourceAccount': sourceAccount },
      ArnLike: { 'aws:SourceArn': sourceBucketArns as pulumi.Input<string[]> },
    },
  };
}
