export { AccessLogBucket, type AccessLogBucketArgs } from './access-log-bucket';
export { getLogRetentionDays, getWholeNumber, LOG_RETENTION_DAYS, type WholeNumberRange } from './config-values';
export { assumeRolePolicy, logDeliveryStatement, type PolicyStatement, policyDocument, tlsOnlyStatement } from './policy';
export { type AccessLogTarget, SecureBucket, type SecureBucketArgs } from './secure-bucket';
export {
  assertStackName,
  type BuiltName,
  LONGEST_STACK_NAMES,
  MAX_STACK_NAME_LENGTH,
  type ResourcePrefixes,
  resourcePrefixes,
} from './stack-name';
