import { join } from 'node:path';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { DUCKDB_ALLOCATOR_ENVIRONMENT } from '@twitch-pipeline/duckdb/allocator-environment';
import { assumeRolePolicy, type PolicyStatement, policyDocument } from '@twitch-pipeline/infra-components';
import { METRICS_NAMESPACE } from '@twitch-pipeline/observability';
import { FUNCTION_NAMES, type FunctionName, type LogLevel, type PipelineStackConfig } from './config';
import { functionStatements, type PipelineResourceArns } from './permissions';

/** The app folder (`apps/<app>`) that builds each function. */
export const FUNCTION_APPS: Record<FunctionName, string> = {
  extract: 'extract',
  publish: 'publish',
  'stream-consumer': 'stream-consumer',
  'transform-silver': 'transform',
  'transform-gold': 'transform',
};

const DESCRIPTIONS: Record<FunctionName, string> = {
  extract: 'Collects one Helix snapshot into bronze (and quarantine)',
  publish: 'Publishes one event per live stream of a snapshot to the events queue',
  'stream-consumer': 'Writes queued events to the real-time table and evaluates alerts',
  'transform-silver': 'Bronze snapshots to silver with the DuckDB SQL models',
  'transform-gold': 'Silver dates to the gold aggregates with the DuckDB SQL models',
};

/** Functions that run DuckDB (and ship its native binding). */
const DUCKDB_FUNCTIONS: ReadonlySet<FunctionName> = new Set(['extract', 'publish', 'transform-silver', 'transform-gold']);

/**
 * /tmp size per function, in MB: the DuckDB steps stage Parquet files there, and gold stages a
 * whole day of silver (48 snapshots, ~0.5 GB at full-platform scale). Lambda's default is 512.
 */
const EPHEMERAL_STORAGE_MB: Record<FunctionName, number> = {
  extract: 1024,
  publish: 1024,
  'stream-consumer': 512,
  'transform-silver': 1024,
  'transform-gold': 4096,
};

/** What active tracing needs: X-Ray's write actions have no resource-level permissions, so "*". */
export const TRACE_WRITING: PolicyStatement = {
  Sid: 'WriteTraces',
  Effect: 'Allow',
  Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  Resource: '*',
};

/**
 * Lambda's own filter of application logs, never stricter than INFO. Lambda gives a JSON line
 * without a `level` field the level INFO, and the EMF lines that carry the custom metrics
 * (`StreamsWritten`, `ColdStart`) have none: a WARN or ERROR filter would drop every metric and
 * leave the no-fresh-snapshot alarm breaching. The functions' logger applies `logLevel` itself
 * (`POWERTOOLS_LOG_LEVEL`).
 */
const LAMBDA_APPLICATION_LOG_LEVEL: Record<LogLevel, 'DEBUG' | 'INFO'> = {
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  WARN: 'INFO',
  ERROR: 'INFO',
};

/** Names and URLs the functions receive as environment variables. */
export interface PipelineResourceNames {
  lakeBucketName: pulumi.Input<string>;
  queueUrl: pulumi.Input<string>;
  deadLetterQueueUrl: pulumi.Input<string>;
  realtimeTableName: pulumi.Input<string>;
  /** ARN of the Twitch credentials' SecureString parameter (`TWITCH_SECRET_ARN`). */
  twitchSecretArn: pulumi.Input<string>;
  alertsTopicArn: pulumi.Input<string>;
}

/** One deployed function with its role and log group. */
export interface PipelineFunction {
  function: aws.lambda.Function;
  role: aws.iam.Role;
  logGroup: aws.cloudwatch.LogGroup;
}

function environmentOf(
  fn: FunctionName,
  config: PipelineStackConfig,
  names: PipelineResourceNames,
): Record<string, pulumi.Input<string>> {
  const common: Record<string, pulumi.Input<string>> = {
    POWERTOOLS_SERVICE_NAME: fn,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    POWERTOOLS_LOG_LEVEL: config.logLevel,
    NODE_OPTIONS: '--enable-source-maps',
    PIPELINE_LANGUAGES: config.languages,
    PIPELINE_INTERVAL_MINUTES: String(config.intervalMinutes),
    PIPELINE_TIMEZONE: config.timeZone,
    ...(config.maxStreamsPerLanguage ? { PIPELINE_MAX_STREAMS_PER_LANGUAGE: config.maxStreamsPerLanguage } : {}),
    // DuckDB looks for a home directory; /tmp is the only writable one in Lambda. Its allocator
    // reads its settings when the library loads, so they come with the function's environment.
    ...(DUCKDB_FUNCTIONS.has(fn) ? { HOME: '/tmp', ...DUCKDB_ALLOCATOR_ENVIRONMENT } : {}),
  };
  switch (fn) {
    case 'extract':
      return { ...common, LAKE_BUCKET: names.lakeBucketName, TWITCH_SECRET_ARN: names.twitchSecretArn };
    case 'publish':
      return { ...common, LAKE_BUCKET: names.lakeBucketName, EVENTS_QUEUE_URL: names.queueUrl };
    case 'stream-consumer':
      return {
        ...common,
        REALTIME_TABLE: names.realtimeTableName,
        REALTIME_TTL_HOURS: String(config.realtimeTtlHours),
        EVENTS_DLQ_URL: names.deadLetterQueueUrl,
        ALERTS_TOPIC_ARN: names.alertsTopicArn,
        ...(config.alertRules ? { ALERT_RULES: config.alertRules } : {}),
      };
    case 'transform-silver':
    case 'transform-gold':
      return { ...common, LAKE_BUCKET: names.lakeBucketName };
  }
}

/**
 * Deploys every pipeline function from its bundle folder (`<artifactsDir>/<app>/<function>/`,
 * built by `tools/scripts/bundle-lambda.ts`), each with its own least-privilege role, a log
 * group with retention, active X-Ray tracing, and the memory and timeout of the stack config.
 *
 * @example
 * const functions = createFunctions(config, arns, names);
 * functions.extract.function.arn;
 */
export function createFunctions(
  config: PipelineStackConfig,
  arns: PipelineResourceArns,
  names: PipelineResourceNames,
): Record<FunctionName, PipelineFunction> {
  const identity = aws.getCallerIdentityOutput();
  const entries = FUNCTION_NAMES.map((fn): [FunctionName, PipelineFunction] => {
    const functionName = `${config.prefix}-${fn}`;
    const logGroup = new aws.cloudwatch.LogGroup(fn, {
      name: `/aws/lambda/${functionName}`,
      retentionInDays: config.logRetentionDays,
    });
    const role = new aws.iam.Role(fn, {
      description: `${functionName}: ${DESCRIPTIONS[fn]}`,
      assumeRolePolicy: assumeRolePolicy('lambda.amazonaws.com', identity.accountId),
    });
    const policy = new aws.iam.RolePolicy(fn, {
      role: role.name,
      policy: policyDocument([
        ...functionStatements(fn, arns),
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: pulumi.interpolate`${logGroup.arn}:*`,
        },
        TRACE_WRITING,
      ]),
    });
    const lambda = new aws.lambda.Function(
      fn,
      {
        name: functionName,
        description: DESCRIPTIONS[fn],
        role: role.arn,
        runtime: aws.lambda.Runtime.NodeJS24dX,
        // The DuckDB native binding shipped in the bundles is built for linux-x64.
        architectures: ['x86_64'],
        handler: 'index.handler',
        code: new pulumi.asset.FileArchive(join(config.artifactsDir, FUNCTION_APPS[fn], fn)),
        memorySize: config.sizing[fn].memoryMb,
        timeout: config.sizing[fn].timeoutSeconds,
        ephemeralStorage: { size: EPHEMERAL_STORAGE_MB[fn] },
        environment: { variables: environmentOf(fn, config, names) },
        loggingConfig: {
          logFormat: 'JSON',
          logGroup: logGroup.name,
          applicationLogLevel: LAMBDA_APPLICATION_LOG_LEVEL[config.logLevel],
          systemLogLevel: 'WARN',
        },
        // X-Ray: a slow cycle is traced from Step Functions into each function and its S3, SQS, SSM and DynamoDB calls.
        tracingConfig: { mode: 'Active' },
      },
      { dependsOn: [logGroup, policy] },
    );
    return [fn, { function: lambda, role, logGroup }];
  });
  return Object.fromEntries(entries) as Record<FunctionName, PipelineFunction>;
}
