import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { assumeRolePolicy, policyDocument, type SecureBucket } from '@twitch-pipeline/infra-components';
import { REALTIME_KEYS } from '@twitch-pipeline/schemas';
import { ATHENA_SPILL_PREFIX } from './buckets';
import type { DataConfig } from './config';
import type { DynamodbConnectorParameter } from './connector-release';

/** The Serverless Application Repository application of the Athena DynamoDB connector. */
const DYNAMODB_CONNECTOR_APPLICATION =
  'arn:aws:serverlessrepo:us-east-1:292517598671:applications/AthenaDynamoDBConnector';

/** The schema the connector lists DynamoDB tables under, in Athena and in Glue alike. */
const CONNECTOR_SCHEMA = 'default';

/** The real-time table and the Athena catalog that makes it queryable with SQL. */
export interface Realtime {
  table: aws.dynamodb.Table;
  connector: aws.serverlessrepository.CloudFormationStack;
  dataCatalog: aws.athena.DataCatalog;
}

/**
 * Creates the real-time table (on demand, point-in-time recovery, TTL, encrypted) and the
 * Athena DynamoDB connector, a pinned Serverless Application Repository release running
 * under a role of this stack that reads only this table, logging to a log group of this stack
 * with retention, registered as an Athena catalog.
 *
 * The role holds what the release's code calls (its template's own role grants more: object
 * versions, ACLs and lifecycle of the whole spill bucket, every table). It needs no ECR or KMS
 * permission: Lambda pulls the connector's image with the deploying identity's credentials when
 * it creates or updates the function, and spills are encrypted by the connector itself
 * (AES-GCM) into an SSE-S3 bucket.
 *
 * @example
 * const { table } = createRealtime(config, buckets.athenaResults, workgroup);
 */
export function createRealtime(config: DataConfig, spill: SecureBucket, workgroup: aws.athena.Workgroup): Realtime {
  const table = new aws.dynamodb.Table('realtime', {
    name: `${config.sqlPrefix}_realtime_streams`,
    billingMode: 'PAY_PER_REQUEST',
    hashKey: REALTIME_KEYS.partitionKey,
    rangeKey: REALTIME_KEYS.sortKey,
    attributes: [
      { name: REALTIME_KEYS.partitionKey, type: 'S' },
      { name: REALTIME_KEYS.sortKey, type: 'S' },
    ],
    pointInTimeRecovery: { enabled: true },
    ttl: { attributeName: REALTIME_KEYS.ttlAttribute, enabled: true },
    serverSideEncryption: { enabled: true },
    deletionProtectionEnabled: config.realtimeDeletionProtection,
  });

  const identity = aws.getCallerIdentityOutput();
  const region = aws.getRegionOutput().region;
  const functionName = `${config.prefix}-athena-dynamodb`;
  // Lambda would create this group on the first query with no retention, keeping every log line forever.
  const logGroup = new aws.cloudwatch.LogGroup('dynamodb-connector', {
    name: `/aws/lambda/${functionName}`,
    retentionInDays: config.logRetentionDays,
  });
  const role = new aws.iam.Role('dynamodb-connector', {
    description: 'Athena DynamoDB connector: reads the real-time table, spills to the results bucket',
    assumeRolePolicy: assumeRolePolicy('lambda.amazonaws.com', identity.accountId),
  });
  const glueArn = pulumi.interpolate`arn:aws:glue:${region}:${identity.accountId}`;
  new aws.iam.RolePolicy('dynamodb-connector', {
    role: role.name,
    policy: policyDocument([
      {
        // PartiQLSelect serves the connector's query passthrough (`system.query`), read-only.
        Sid: 'ReadRealtimeTable',
        Effect: 'Allow',
        Action: ['dynamodb:DescribeTable', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PartiQLSelect'],
        Resource: [table.arn, pulumi.interpolate`${table.arn}/index/*`],
      },
      {
        // ListTables has no resource-level permissions: AWS only accepts "*" for it.
        Sid: 'ListTables',
        Effect: 'Allow',
        Action: 'dynamodb:ListTables',
        Resource: '*',
      },
      {
        // The connector serves the table under its one schema, `default`, and looks there for a Glue
        // table of the same name holding supplemental metadata; every other Glue call it makes (listing
        // flagged databases) falls back to DynamoDB's own answer when refused.
        Sid: 'ReadSupplementalGlueMetadata',
        Effect: 'Allow',
        Action: [
          'glue:GetDatabase',
          'glue:GetDatabases',
          'glue:GetTable',
          'glue:GetTables',
          'glue:GetTableVersion',
          'glue:GetTableVersions',
          'glue:GetPartition',
          'glue:GetPartitions',
        ],
        Resource: [
          pulumi.interpolate`${glueArn}:catalog`,
          pulumi.interpolate`${glueArn}:database/${CONNECTOR_SCHEMA}`,
          pulumi.interpolate`${glueArn}:table/${CONNECTOR_SCHEMA}/${table.name}`,
        ],
      },
      {
        Sid: 'FollowQueryState',
        Effect: 'Allow',
        Action: 'athena:GetQueryExecution',
        Resource: pulumi.interpolate`arn:aws:athena:${region}:${identity.accountId}:workgroup/${workgroup.name}`,
      },
      {
        Sid: 'Spill',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: pulumi.interpolate`${spill.arn}/${ATHENA_SPILL_PREFIX}*`,
      },
      {
        // The connector checks the spill bucket with HeadBucket, which S3 authorizes as ListBucket.
        Sid: 'ListSpill',
        Effect: 'Allow',
        Action: ['s3:ListBucket', 's3:GetBucketLocation'],
        Resource: spill.arn,
      },
      {
        Sid: 'WriteLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: pulumi.interpolate`${logGroup.arn}:*`,
      },
    ]),
  });
  // Given the stack's own role, the template creates no role or policy of its own.
  const parameters: Partial<Record<DynamodbConnectorParameter, pulumi.Input<string>>> = {
    AthenaCatalogName: functionName,
    SpillBucket: spill.name,
    SpillPrefix: ATHENA_SPILL_PREFIX.replace(/\/$/, ''),
    LambdaMemory: String(config.dynamodbConnectorMemoryMb),
    LambdaTimeout: '900',
    LambdaRole: role.arn,
    DisableSpillEncryption: 'false',
  };
  const connector = new aws.serverlessrepository.CloudFormationStack(
    'dynamodb-connector',
    {
      name: `${config.prefix}-athena-dynamodb-connector`,
      applicationId: DYNAMODB_CONNECTOR_APPLICATION,
      semanticVersion: config.dynamodbConnectorVersion,
      capabilities: ['CAPABILITY_IAM', 'CAPABILITY_RESOURCE_POLICY'],
      parameters,
    },
    { dependsOn: [logGroup] },
  );
  const dataCatalog = new aws.athena.DataCatalog(
    'realtime',
    {
      name: `${config.sqlPrefix}_realtime`,
      description: 'Real-time DynamoDB table through the Athena DynamoDB connector',
      type: 'LAMBDA',
      parameters: {
        function: pulumi.interpolate`arn:aws:lambda:${region}:${identity.accountId}:function:${functionName}`,
      },
    },
    { dependsOn: [connector] },
  );
  return { table, connector, dataCatalog };
}
