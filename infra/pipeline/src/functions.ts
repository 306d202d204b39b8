import { join } from 'node:path';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { DUCKDB_ALLOCATOR_ENVIRONMENT } from '@twitch-pipeline/duckdb/allocator-environment';
import { assumeRolePolicy, type PolicyStatement, policyDocument } from '@twitch-pipeline/infra-components';
import { METRICS_NAMESPACE, METRICS_SERVICE_VARIABLE } from '@twitch-pipeline/observability';
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
const TRACE_WRITING: PolicyStatement = {
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

function environmentOf<Name>(
  fn: FunctionName,
  config: PipelineStackConfig,
  names: Record<keyof PipelineResourceNames, Name>,
): Record<string, string | Name> {
  const common: Record<string, string> = {
    POWERTOOLS_SERVICE_NAME: fn,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    [METRICS_SERVICE_VARIABLE]: config.prefix,
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

/** Lambda's cap on one function's environment: every variable's name and value together, in bytes. */
export const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;

/** The longest region name (14 characters), for a stack that leaves `aws:region` to the AWS profile. */
const LONGEST_REGION = 'ap-southeast-5';

/**
 * The names, ARNs and URLs the functions will receive, at their expected length: at preview this
 * stack's queues, topic and parameter may not exist yet, so their URLs and ARNs are built from the
 * names the stack gives them (an account id always has 12 digits), and the data stack's outputs
 * resolve only after the program has declared its resources. The lake bucket, which Pulumi names,
 * counts at S3's longest name (63 characters); the real-time table at the length of the name the
 * data stack gives it, `twitch_pipeline_<its stack>_realtime_streams`.
 */
function expectedNames(config: PipelineStackConfig): Record<keyof PipelineResourceNames, string> {
  const region = aws.config.region ?? LONGEST_REGION;
  const account = '0'.repeat(12);
  const queueUrl = (name: string) => `https://sqs.${region}.amazonaws.com/${account}/${name}`;
  return {
    lakeBucketName: 'b'.repeat(63),
    queueUrl: queueUrl(`${config.prefix}-events`),
    deadLetterQueueUrl: queueUrl(`${config.prefix}-events-dlq`),
    realtimeTableName: `twitch_pipeline_${config.dataStack.split('/').at(-1)}_realtime_streams`,
    twitchSecretArn: `arn:aws:ssm:${region}:${account}:parameter/${config.prefix}/twitch-credentials`,
    alertsTopicArn: `arn:aws:sns:${region}:${account}:${config.prefix}-alerts`,
  };
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const formatted = (count: number) => count.toLocaleString('en-US');

/**
 * Throws when a function's environment variables, as the stack builds them, would exceed Lambda's
 * 4 KB: `pulumi preview` does not check that limit, and `pulumi up` fails on it only once Lambda
 * refuses the function. The message names the function, the size, the limit and the largest
 * variable; for the consumer's alert rules, how to shrink them.
 *
 * @example
 * assertEnvironmentsFit(config); // throws for a channel_live rule of 300 channels: "the stream-consumer function's environment variables take 5,050 bytes, over…"
 */
export function assertEnvironmentsFit(config: PipelineStackConfig): void {
  const names = expectedNames(config);
  for (const fn of FUNCTION_NAMES) {
    const sizes = Object.entries(environmentOf(fn, config, names)).map(([key, value]) => ({ key, size: bytes(key) + bytes(value) }));
    const total = sizes.reduce((sum, { size }) => sum + size, 0);
    if (total <= LAMBDA_ENVIRONMENT_LIMIT_BYTES) continue;
    const largest = sizes.reduce((a, b) => (b.size > a.size ? b : a));
    const fix =
      largest.key === 'ALERT_RULES'
        ? '; shrink the rules of alertRulesFile: fewer channels (every login counts, however the rules split them), a viewer_jump rule without channels (it watches every channel) or a category_audience rule instead of a long channel list'
        : '';
    throw new Error(
      `the ${fn} function's environment variables take ${formatted(total)} bytes, over Lambda's limit of ${formatted(LAMBDA_ENVIRONMENT_LIMIT_BYTES)} bytes ` +
        `(names and values together): pulumi up would fail to deploy ${config.prefix}-${fn}. Its largest variable is ${largest.key} (${formatted(largest.size)} bytes)${fix}`,
    );
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
