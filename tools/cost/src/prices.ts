/**
 * AWS list prices in sa-east-1 (São Paulo), on demand, before taxes, as published on each
 * service's pricing page in 2025; check them with the AWS Pricing Calculator before committing.
 */
export const PRICES = {
  lambdaGbSecond: 0.0000166667,
  lambdaRequestsPerMillion: 0.2,
  s3StandardGbMonth: 0.0405,
  s3PutPerThousand: 0.007,
  s3GetPerThousand: 0.00056,
  sqsRequestsPerMillion: 0.4,
  dynamoWritesPerMillion: 0.9375,
  dynamoStorageGbMonth: 0.375,
  dynamoPitrGbMonth: 0.3,
  stepFunctionsPerThousandTransitions: 0.025,
  athenaPerTb: 5,
  /** Athena bills at least 10 MB a query. */
  athenaMinimumMb: 10,
  cloudwatchMetricMonth: 0.3,
  cloudwatchAlarmMetricMonth: 0.1,
  cloudwatchDashboardMonth: 3,
  logsIngestionGb: 0.9,
  logsStorageGbMonth: 0.0405,
  xrayTracesPerMillion: 5,
  /** Glue crawlers: per DPU-hour, billed per second with a 10-minute minimum a run. */
  glueDpuHour: 0.44,
  kmsRequestsPerTenThousand: 0.03,
  /** Parameter Store standard parameters and standard throughput cost nothing. */
  parameterStoreStandard: 0,
} as const;

/**
 * AWS's always-free allowances (they do not expire after 12 months), per account and month.
 * The estimate shows each item with and without them, since an account may spend them elsewhere.
 */
export const ALWAYS_FREE = {
  lambdaGbSeconds: 400_000,
  lambdaRequests: 1_000_000,
  sqsRequests: 1_000_000,
  stepFunctionsTransitions: 4_000,
  cloudwatchMetrics: 10,
  cloudwatchAlarmMetrics: 10,
  cloudwatchDashboards: 3,
  logsGb: 5,
  xrayTraces: 100_000,
  kmsRequests: 20_000,
  dynamoStorageGb: 25,
} as const;
