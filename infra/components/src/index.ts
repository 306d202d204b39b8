export { assumeRolePolicy, type PolicyStatement, policyDocument, tlsOnlyStatement } from './policy';
export { SecureBucket, type SecureBucketArgs } from './secure-bucket';
