export { AWS_FIELD_LIMITS, type AwsFieldLimit, type AwsLimitReport, awsLimitReport, type LimitMeasure } from './aws-limits';
export { type IamVocabularyReport, iamVocabularyReport } from './iam-vocabulary';
export { type IamStatement, isAdministrative, isAllowed, type RequestContext, statementsOf } from './iam';
export {
  isSecretInput,
  type MockedProgram,
  type MockedProgramOptions,
  type RecordedResource,
  resolve,
  runMockedProgram,
} from './mocks';
export {
  type AccessLogExpectation,
  accessLogFindings,
  administrativeFindings,
  bucketFindings,
  queueFindings,
  stackFileKeys,
} from './policy-checks';
