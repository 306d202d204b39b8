export { getLogRetentionDays, getWholeNumber, LOG_RETENTION_DAYS, type WholeNumberRange } from './config-values';
export { assumeRolePolicy, type PolicyStatement, policyDocument, tlsOnlyStatement } from './policy';
export { SecureBucket, type SecureBucketArgs } from './secure-bucket';
export {
  assertStackName,
  type BuiltName,
  LONGEST_STACK_NAMES,
  MAX_STACK_NAME_LENGTH,
  type ResourcePrefixes,
  resourcePrefixes,
} from './stack-name';
