import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { administrativeFindings, isAllowed } from '@twitch-pipeline/infra-components/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES } from '../src/config';
import { ACCOUNT, LAKE, lambda, policyOf, program, queueArn, REGION, runProdStack, TABLE } from './support/prod-stack';

// The prod stack's IAM: one role per function, each allowed only what its step does.
beforeAll(runProdStack);

describe('pipeline stack: least privilege', () => {
  it('gives every function its own role', () => {
    // prepare
    const roles = program.ofType('aws:iam/role:Role');
    // act
    const functionRoles = FUNCTION_NAMES.map((fn) => lambda(fn).inputs.role);
    // assess
    expect(new Set(functionRoles).size).toBe(5);
    for (const [index, fn] of FUNCTION_NAMES.entries()) {
      const role = roles.find((candidate) => candidate.name === fn)!;
      expect(functionRoles[index]).toBe(role.state.arn);
      expect(program.one('aws:iam/rolePolicy:RolePolicy', fn).inputs.role).toBe(role.state.name);
    }
  });

  it('lets extract write and read bronze, replace its own quarantine objects and read the secret, nothing else', () => {
    // prepare
    const statements = policyOf('extract');
    // act
    const can = (action: string, resource: string, prefix?: string) =>
      isAllowed(statements, action, resource, prefix === undefined ? {} : { 's3:prefix': prefix });
    // assess
    expect(can('s3:PutObject', `${LAKE}/raw/streams/dt=2026-11-29/20261129T213000Z.parquet`)).toBe(true);
    expect(can('s3:PutObject', `${LAKE}/quarantine/streams/dt=2026-11-29/20261129T213000Z-bronze.parquet`)).toBe(true);
    expect(can('s3:DeleteObject', `${LAKE}/quarantine/streams/dt=2026-11-29/20261129T213000Z-bronze.parquet`)).toBe(true);
    expect(can('s3:PutObject', `${LAKE}/quarantine/streams/dt=2026-11-29/20261129T213000Z-refused-20261129T220512Z-bronze.parquet`)).toBe(true);
    expect(can('s3:PutObject', `${LAKE}/quarantine/streams/dt=2026-11-29/20261129T213000Z-silver.parquet`)).toBe(false);
    expect(can('s3:PutObject', `${LAKE}/gold/streams_diario/dt=2026-11-29/part-0.parquet`)).toBe(false);
    expect(can('s3:PutObject', `${LAKE}/silver/streams/dt=2026-11-29/x.parquet`)).toBe(false);
    expect(can('s3:GetObject', `${LAKE}/raw/streams/dt=2026-11-29/x.parquet`)).toBe(true);
    expect(can('s3:GetObject', `${LAKE}/silver/streams/dt=2026-11-29/x.parquet`)).toBe(false);
    expect(can('s3:DeleteObject', `${LAKE}/raw/streams/dt=2026-11-29/x.parquet`)).toBe(false);
    expect(can('s3:ListBucket', LAKE, 'raw/streams/dt=2026-11-29/20261129T213000Z.parquet')).toBe(true);
    expect(can('s3:ListBucket', LAKE, 'silver/')).toBe(false);
    // It asks for its slot's object by its whole key, never for the layer's listing.
    expect(can('s3:ListBucket', LAKE, 'raw/streams/')).toBe(false);
    expect(can('s3:ListBucket', LAKE, 'raw/streams/dt=2026-11-29/')).toBe(false);
    expect(can('s3:ListBucket', LAKE)).toBe(false);
    expect(can('ssm:GetParameter', lambda('extract').inputs.environment.variables.TWITCH_SECRET_ARN)).toBe(true);
    expect(can('ssm:GetParameter', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/other`)).toBe(false);
    expect(can('sqs:SendMessage', queueArn('events'))).toBe(false);
  });

  it('lets publish read bronze and send to the events queue only', () => {
    // prepare
    const statements = policyOf('publish');
    // act
    const can = (action: string, resource: string) => isAllowed(statements, action, resource);
    // assess
    expect(can('s3:GetObject', `${LAKE}/raw/streams/dt=2026-11-29/x.parquet`)).toBe(true);
    expect(can('s3:GetObject', `${LAKE}/silver/streams/dt=2026-11-29/x.parquet`)).toBe(false);
    expect(can('s3:PutObject', `${LAKE}/raw/streams/dt=2026-11-29/x.parquet`)).toBe(false);
    expect(can('sqs:SendMessage', queueArn('events'))).toBe(true);
    expect(can('sqs:SendMessage', queueArn('events-dlq'))).toBe(false);
  });

  it('grants the consumer every DynamoDB call its table and alert code makes', () => {
    // prepare: the commands the consumer's DynamoDB code sends (the real-time table, the alert
    // ledger, the category audience), read from their sources (TSDoc examples left out), each to its IAM action
    const sources = ['libs/storage/src/realtime/dynamo-realtime-table.ts', 'libs/alerts/src/aws/dynamo-alert-ledger.ts', 'libs/alerts/src/aws/dynamo-category-audience.ts'];
    const commands = new Set(sources.flatMap((source) => [...readFileSync(fileURLToPath(new URL(`../../../${source}`, import.meta.url)), 'utf8').matchAll(/^(?!\s*\*).*\bnew (Get|Put|Update|Delete|Query|Scan|BatchWrite|BatchGet|TransactWrite|TransactGet)Command\(/gm)].map((match) => match[1]!)));
    const actionOf = (command: string) => `dynamodb:${['Query', 'Scan'].includes(command) ? command : `${command}Item`}`;
    const statements = policyOf('stream-consumer');

    // act
    const denied = [...commands].map(actionOf).filter((action) => !isAllowed(statements, action, TABLE));

    // assess
    expect(commands.size).toBeGreaterThanOrEqual(5);
    expect(denied).toEqual([]);
  });

  it('lets the consumer read the queue and write the real-time table, not the lake', () => {
    // prepare
    const statements = policyOf('stream-consumer');
    // act
    const can = (action: string, resource: string) => isAllowed(statements, action, resource);
    // assess
    for (const action of ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query']) expect(can(action, TABLE)).toBe(true);
    expect(can('dynamodb:BatchWriteItem', `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/other`)).toBe(false);
    expect(can('dynamodb:DeleteTable', TABLE)).toBe(false);
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage']) expect(can(action, queueArn('events'))).toBe(true);
    expect(can('s3:GetObject', `${LAKE}/raw/streams/dt=2026-11-29/x.parquet`)).toBe(false);
  });

  it('lets the consumer send an invalid message to the DLQ it is given, and to no other queue', () => {
    // prepare
    const statements = policyOf('stream-consumer');
    const dlq = program.one('aws:sqs/queue:Queue', 'events-dlq');
    // act
    const sending = statements.filter((statement) => isAllowed([{ ...statement, Resource: '*' }], 'sqs:SendMessage', '*'));
    // assess
    expect(sending.flatMap((statement) => [statement.Resource].flat())).toEqual([dlq.state.arn]);
    expect(isAllowed(statements, 'sqs:SendMessage', queueArn('events'))).toBe(false);
    expect(isAllowed(statements, 'sqs:SendMessage', `arn:aws:sqs:${REGION}:${ACCOUNT}:other`)).toBe(false);
    expect(lambda('stream-consumer').inputs.environment.variables.EVENTS_DLQ_URL).toBe(dlq.state.url);
    // SQS-managed encryption: sending needs no KMS permission, and none is granted.
    expect(dlq.inputs).toMatchObject({ sqsManagedSseEnabled: true });
    expect(dlq.inputs.kmsMasterKeyId).toBeUndefined();
    expect(statements.flatMap((statement) => [statement.Action].flat()).filter((action) => action.startsWith('kms:'))).toEqual([]);
  });

  it('lets silver read bronze, write silver and its own quarantine objects, listing only its prefixes', () => {
    // prepare
    const statements = policyOf('transform-silver');
    // act
    const can = (action: string, resource: string, prefix?: string) =>
      isAllowed(statements, action, resource, prefix === undefined ? {} : { 's3:prefix': prefix });
    // assess
    expect(can('s3:GetObject', `${LAKE}/raw/streams/dt=2026-11-29/x.parquet`)).toBe(true);
    expect(can('s3:PutObject', `${LAKE}/silver/streams/dt=2026-11-29/x.parquet`)).toBe(true);
    expect(can('s3:PutObject', `${LAKE}/quarantine/streams/dt=2026-11-29/x-silver.parquet`)).toBe(true);
    expect(can('s3:DeleteObject', `${LAKE}/quarantine/streams/dt=2026-11-29/x-silver.parquet`)).toBe(true);
    expect(can('s3:DeleteObject', `${LAKE}/quarantine/streams/dt=2026-11-29/x-bronze.parquet`)).toBe(false);
    // The silver object of a bronze copy superseded by a later collection of the same slot.
    expect(can('s3:DeleteObject', `${LAKE}/silver/streams/dt=2026-11-29/x.parquet`)).toBe(true);
    expect(can('s3:DeleteObject', `${LAKE}/gold/streams_diario/dt=2026-11-29/part-0.parquet`)).toBe(false);
    expect(can('s3:PutObject', `${LAKE}/raw/streams/dt=2026-11-29/x.parquet`)).toBe(false);
    expect(can('s3:PutObject', `${LAKE}/gold/streams_diario/dt=2026-11-29/part-0.parquet`)).toBe(false);
    // An unreadable bronze object is kept under quarantine/corrupt/ and removed from bronze.
    expect(can('s3:PutObject', `${LAKE}/quarantine/corrupt/raw/streams/dt=2026-11-29/x.parquet`)).toBe(true);
    expect(can('s3:DeleteObject', `${LAKE}/raw/streams/dt=2026-11-29/x.parquet`)).toBe(true);
    expect(can('s3:PutObject', `${LAKE}/quarantine/corrupt/silver/streams/dt=2026-11-29/x.parquet`)).toBe(false);
    expect(can('s3:ListBucket', LAKE, 'raw/streams/dt=2026-11-29/')).toBe(true);
    expect(can('s3:ListBucket', LAKE, 'gold/')).toBe(false);
    expect(can('s3:ListBucket', LAKE)).toBe(false);
  });

  it('lets gold read the lake and write gold, and silver only as the silver step does', () => {
    // prepare
    const statements = policyOf('transform-gold');
    // act
    const can = (action: string, resource: string) => isAllowed(statements, action, resource);
    // assess
    expect(can('s3:GetObject', `${LAKE}/silver/streams/dt=2026-11-29/x.parquet`)).toBe(true);
    expect(can('s3:PutObject', `${LAKE}/gold/streams_diario/dt=2026-11-29/part-0.parquet`)).toBe(true);
    expect(can('s3:GetObject', `${LAKE}/gold/streamers_diario/dt=2026-11-22/part-0.parquet`)).toBe(true);
    // A silver object of another silver model version is rebuilt from its bronze object by the silver step.
    expect(can('s3:GetObject', `${LAKE}/raw/streams/dt=2026-11-29/x.parquet`)).toBe(true);
    expect(can('s3:PutObject', `${LAKE}/silver/streams/dt=2026-11-29/x.parquet`)).toBe(true);
    expect(can('s3:PutObject', `${LAKE}/quarantine/streams/dt=2026-11-29/x-silver.parquet`)).toBe(true);
    expect(can('s3:PutObject', `${LAKE}/raw/streams/dt=2026-11-29/x.parquet`)).toBe(false);
    expect(can('s3:PutObject', `${LAKE}/quarantine/streams/dt=2026-11-29/x-bronze.parquet`)).toBe(false);
    expect(can('s3:DeleteObject', `${LAKE}/gold/streams_diario/dt=2026-11-29/part-0.parquet`)).toBe(false);
    // An unreadable silver (or bronze) object is kept under quarantine/corrupt/ and removed, to be rebuilt.
    expect(can('s3:PutObject', `${LAKE}/quarantine/corrupt/silver/streams/dt=2026-11-29/x.parquet`)).toBe(true);
    expect(can('s3:DeleteObject', `${LAKE}/silver/streams/dt=2026-11-29/x.parquet`)).toBe(true);
    expect(can('s3:PutObject', `${LAKE}/quarantine/corrupt/gold/streams_diario/dt=2026-11-29/part-0.parquet`)).toBe(false);
  });

  it('lets each function write only its own logs', () => {
    // prepare
    const groups = program.ofType('aws:cloudwatch/logGroup:LogGroup');
    // act
    const extractLogs = groups.find((group) => group.name === 'extract')!.state.arn;
    const gold = policyOf('transform-gold');
    // assess
    expect(isAllowed(policyOf('extract'), 'logs:PutLogEvents', `${extractLogs}:log-stream:x`)).toBe(true);
    expect(isAllowed(gold, 'logs:PutLogEvents', `${extractLogs}:log-stream:x`)).toBe(false);
  });

  it('grants no statement "*" actions on "*" resources', () => {
    // prepare
    const policies = program.ofType('aws:iam/rolePolicy:RolePolicy');
    // act
    const findings = administrativeFindings(program);
    // assess
    expect(policies).toHaveLength(7);
    expect(findings).toEqual([]);
  });
});
