import type { MockedProgram } from '@twitch-pipeline/infra-components/testing';
import { isAllowed } from '@twitch-pipeline/infra-components/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { DYNAMODB_CONNECTOR_PARAMETERS, DYNAMODB_CONNECTOR_RELEASE } from '../src/connector-release';
import { ACCOUNT, bucketByName, REGION, rolePolicyOf, runDataProgram } from './support/data-program';

// No Pulumi engine or AWS account exists in tests: the program runs under Pulumi's unit-test mocks.
let program: MockedProgram;

beforeAll(async () => {
  program = await runDataProgram();
});

describe('data stack: real-time table and Athena DynamoDB connector', () => {
  it('creates the on-demand table keyed by nome_streamer/timestamp with PITR, TTL and encryption', () => {
    // prepare
    const table = program.one('aws:dynamodb/table:Table');
    // act
    const { inputs } = table;
    // assess
    expect(inputs).toMatchObject({
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'nome_streamer',
      rangeKey: 'timestamp',
      pointInTimeRecovery: { enabled: true },
      ttl: { attributeName: 'expira_em', enabled: true },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: true,
    });
  });

  it('deploys the pinned connector release and registers it as a Lambda data catalog', () => {
    // prepare
    const connector = program.one('aws:serverlessrepository/cloudFormationStack:CloudFormationStack');
    const role = program.one('aws:iam/role:Role', 'dynamodb-connector');
    // act
    const catalog = program.one('aws:athena/dataCatalog:DataCatalog');
    // assess
    expect(connector.inputs.applicationId).toBe(
      'arn:aws:serverlessrepo:us-east-1:292517598671:applications/AthenaDynamoDBConnector',
    );
    expect(connector.inputs.semanticVersion).toBe(DYNAMODB_CONNECTOR_RELEASE);
    expect(Object.keys(connector.inputs.parameters).filter((name) => !(DYNAMODB_CONNECTOR_PARAMETERS as readonly string[]).includes(name))).toEqual([]);
    expect(connector.inputs.parameters).toMatchObject({
      AthenaCatalogName: 'twitch-pipeline-prod-athena-dynamodb',
      SpillBucket: bucketByName(program, 'athena-results').id,
      LambdaRole: role.state.arn,
    });
    expect(catalog.inputs).toMatchObject({
      type: 'LAMBDA',
      name: 'twitch_pipeline_prod_realtime',
      parameters: { function: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:twitch-pipeline-prod-athena-dynamodb` },
    });
  });

  it('lets the connector read the real-time table and no other', () => {
    // prepare
    const table = program.one('aws:dynamodb/table:Table');
    // act
    const statements = rolePolicyOf(program, 'dynamodb-connector');
    // assess
    expect(isAllowed(statements, 'dynamodb:Query', table.state.arn)).toBe(true);
    expect(isAllowed(statements, 'dynamodb:PartiQLSelect', table.state.arn)).toBe(true);
    expect(isAllowed(statements, 'dynamodb:Query', `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/other`)).toBe(false);
    expect(isAllowed(statements, 'dynamodb:PutItem', table.state.arn)).toBe(false);
    expect(isAllowed(statements, 'dynamodb:PartiQLUpdate', table.state.arn)).toBe(false);
  });

  it('gives the connector what its release calls: spill prefix, bucket check, catalog, query state, its logs', () => {
    // prepare
    const spill = bucketByName(program, 'athena-results');
    const lake = bucketByName(program, 'lake');
    const spillObject = `arn:aws:s3:::${spill.id}/athena-spill/query-1/block.bin`;
    // act
    const statements = rolePolicyOf(program, 'dynamodb-connector');
    // assess
    for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) expect(isAllowed(statements, action, spillObject), action).toBe(true);
    expect(isAllowed(statements, 's3:ListBucket', `arn:aws:s3:::${spill.id}`)).toBe(true);
    expect(isAllowed(statements, 's3:GetObject', `arn:aws:s3:::${spill.id}/query-results/q.csv`)).toBe(false);
    expect(isAllowed(statements, 's3:GetObject', `arn:aws:s3:::${lake.id}/silver/streams/dt=2026-11-29/a.parquet`)).toBe(false);
    expect(isAllowed(statements, 's3:PutObjectAcl', spillObject)).toBe(false);
    expect(isAllowed(statements, 's3:ListAllMyBuckets', '*')).toBe(false);
    expect(isAllowed(statements, 'glue:GetTable', `arn:aws:glue:${REGION}:${ACCOUNT}:table/default/twitch_pipeline_prod_realtime_streams`)).toBe(true);
    expect(isAllowed(statements, 'glue:UpdateTable', `arn:aws:glue:${REGION}:${ACCOUNT}:table/default/twitch_pipeline_prod_realtime_streams`)).toBe(false);
    expect(isAllowed(statements, 'athena:GetQueryExecution', `arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/twitch-pipeline-prod`)).toBe(true);
    expect(
      isAllowed(statements, 'logs:PutLogEvents', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/twitch-pipeline-prod-athena-dynamodb:log-stream:x`),
    ).toBe(true);
    expect(isAllowed(statements, 'ecr:BatchGetImage', '*')).toBe(false);
    expect(isAllowed(statements, 'kms:GenerateDataKey', '*')).toBe(false);
  });

  it("reads no Glue metadata but the real-time table's, in the connector's only schema", () => {
    // prepare
    const glue = `arn:aws:glue:${REGION}:${ACCOUNT}`;
    // act
    const statements = rolePolicyOf(program, 'dynamodb-connector');
    // assess
    expect(isAllowed(statements, 'glue:GetTable', `${glue}:table/twitch_pipeline_prod/silver_streams`)).toBe(false);
    expect(isAllowed(statements, 'glue:GetTables', `${glue}:database/twitch_pipeline_prod`)).toBe(false);
    expect(isAllowed(statements, 'glue:GetTable', `${glue}:table/other_workload/customers`)).toBe(false);
    expect(isAllowed(statements, 'glue:GetTable', `${glue}:table/default/other_table`)).toBe(false);
    expect(isAllowed(statements, 'glue:GetDatabase', `${glue}:database/default`)).toBe(true);
  });

  it("keeps the connector's logs for logRetentionDays in a log group of the stack, which its role cannot create", () => {
    // prepare
    const name = '/aws/lambda/twitch-pipeline-prod-athena-dynamodb';
    // act
    const logGroup = program.one('aws:cloudwatch/logGroup:LogGroup', 'dynamodb-connector');
    const statements = rolePolicyOf(program, 'dynamodb-connector');
    // assess
    expect(logGroup.inputs).toMatchObject({ name, retentionInDays: 90 });
    expect(isAllowed(statements, 'logs:CreateLogGroup', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}:*`)).toBe(false);
    expect(isAllowed(statements, 'logs:PutLogEvents', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}-other:log-stream:x`)).toBe(false);
  });
});
