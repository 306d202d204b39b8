import { loadAlertRulesSync, parseAlertRules } from '@twitch-pipeline/alerts';
import { DUCKDB_ALLOCATOR_ENVIRONMENT } from '@twitch-pipeline/duckdb/allocator-environment';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  administrativeFindings,
  isAllowed,
  isSecretInput,
  type MockedProgram,
  queueFindings,
  type RecordedResource,
  runMockedProgram,
  stackFileKeys,
  statementsOf,
} from '@twitch-pipeline/infra-components/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { isCatalogued, METRICS_SERVICE_VARIABLE } from '@twitch-pipeline/observability';
import { alarmDefinitions, maxStepInvocationsPerWindow } from '../src/alarms';
import { FUNCTION_NAMES, type FunctionName, PIPELINE_CONFIG_KEYS, PIPELINE_SECRET_KEYS } from '../src/config';

// No Pulumi engine or AWS account exists in tests: the program runs under Pulumi's unit-test mocks,
// and the data stack's outputs come from a mocked StackReference.
const PROJECT = 'twitch-pipeline-pipeline';
const REGION = 'sa-east-1';
const ACCOUNT = '123456789012';
const LAKE = 'arn:aws:s3:::twitch-lake';
const TABLE = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/twitch_pipeline_prod_realtime_streams`;
const CLIENT_SECRET = 'client-secret-value-for-tests';
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let program: MockedProgram;

const lambda = (fn: string) => program.one('aws:lambda/function:Function', fn);
const policyOf = (name: string) => statementsOf(program.one('aws:iam/rolePolicy:RolePolicy', name).inputs.policy);
const queueArn = (name: string) => program.one('aws:sqs/queue:Queue', name).state.arn as string;
const topicArn = () => program.one('aws:sns/topic:Topic').state.arn as string;

beforeAll(async () => {
  program = await runMockedProgram(
    {
      project: PROJECT,
      stack: 'prod',
      config: {
        dataStack: 'organization/twitch-pipeline-data/prod',
        intervalMinutes: '30',
        alertEmail: 'data-alerts@twitch-streams-team.io',
        alertRulesFile: `${ROOT}libs/alerts/examples/alert-rules.json`,
        consumerTimeoutSeconds: '30',
        extractMemoryMb: '1536',
        twitchClientId: 'client-id-for-tests',
        twitchClientSecret: CLIENT_SECRET,
      },
      secretKeys: [...PIPELINE_SECRET_KEYS],
      stackOutputs: {
        'organization/twitch-pipeline-data/prod': {
          region: REGION,
          lakeBucketName: 'twitch-lake',
          lakeBucketArn: LAKE,
          realtimeTableName: 'twitch_pipeline_prod_realtime_streams',
          realtimeTableArn: TABLE,
        },
      },
    },
    () => import('../index'),
  );
});

describe('pipeline stack: functions', () => {
  it('deploys the five functions from their bundle folders on Node.js 24', async () => {
    // prepare
    const apps = { extract: 'extract', publish: 'publish', 'stream-consumer': 'stream-consumer', 'transform-silver': 'transform', 'transform-gold': 'transform' };
    // act
    const functions = FUNCTION_NAMES.map(lambda);
    // assess
    expect(program.ofType('aws:lambda/function:Function')).toHaveLength(5);
    for (const [index, fn] of FUNCTION_NAMES.entries()) {
      const { inputs } = functions[index]!;
      expect(inputs).toMatchObject({ name: `twitch-pipeline-prod-${fn}`, runtime: 'nodejs24.x', handler: 'index.handler', architectures: ['x86_64'] });
      expect(await inputs.code.path).toBe(`../../dist/apps/${apps[fn]}/${fn}`);
    }
  });

  it('takes memory and timeouts from config, with defaults for unset keys', () => {
    // prepare
    const extract = lambda('extract');
    // act
    const consumer = lambda('stream-consumer');
    // assess
    expect(extract.inputs).toMatchObject({ memorySize: 1536, timeout: 600 });
    expect(consumer.inputs).toMatchObject({ memorySize: 256, timeout: 30 });
    expect(lambda('transform-gold').inputs.ephemeralStorage).toEqual({ size: 4096 });
  });

  it('gives each function its own log group with retention', () => {
    // prepare
    const groups = program.ofType('aws:cloudwatch/logGroup:LogGroup');
    // act
    const byFunction = FUNCTION_NAMES.map((fn) => groups.find((group) => group.inputs.name === `/aws/lambda/twitch-pipeline-prod-${fn}`));
    // assess
    for (const [index, group] of byFunction.entries()) {
      expect(group?.inputs.retentionInDays).toBe(30);
      expect(lambda(FUNCTION_NAMES[index]!).inputs.loggingConfig.logGroup).toBe(group?.inputs.name);
    }
  });

  it('passes each function the configuration it reads, and never the Twitch secret itself', () => {
    // prepare
    const env = (fn: string) => lambda(fn).inputs.environment.variables;
    // act
    const all = FUNCTION_NAMES.map(env);
    // assess
    expect(env('extract')).toMatchObject({ LAKE_BUCKET: 'twitch-lake', PIPELINE_LANGUAGES: 'pt,en,es', PIPELINE_INTERVAL_MINUTES: '30', PIPELINE_TIMEZONE: 'America/Sao_Paulo' });
    expect(env('extract').TWITCH_SECRET_ARN).toBe(program.one('aws:ssm/parameter:Parameter').state.arn);
    expect(env('publish').EVENTS_QUEUE_URL).toMatch(/twitch-pipeline-prod-events$/);
    expect(env('transform-gold').HOME).toBe('/tmp');
    expect(env('stream-consumer').HOME).toBeUndefined();
    for (const fn of ['extract', 'publish', 'transform-silver', 'transform-gold']) expect(env(fn)).toMatchObject(DUCKDB_ALLOCATOR_ENVIRONMENT);
    expect(env('stream-consumer').DUCKDB_JE_MALLOC_CONF).toBeUndefined();
    expect(env('stream-consumer')).toMatchObject({ REALTIME_TABLE: 'twitch_pipeline_prod_realtime_streams', REALTIME_TTL_HOURS: '48', ALERTS_TOPIC_ARN: topicArn() });
    // The rules file is validated at preview and handed over inline, exactly as the consumer parses it.
    expect(parseAlertRules(env('stream-consumer').ALERT_RULES)).toEqual(loadAlertRulesSync(`${ROOT}libs/alerts/examples/alert-rules.json`));
    expect(env('extract').ALERT_RULES).toBeUndefined();
    for (const [index, variables] of all.entries()) {
      expect(variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: FUNCTION_NAMES[index], POWERTOOLS_METRICS_NAMESPACE: 'TwitchPipeline' });
      expect(JSON.stringify(variables)).not.toContain(CLIENT_SECRET);
    }
  });

  it('stores the Twitch credentials as a free standard SecureString (AWS-managed key) in the shape extract reads', () => {
    // prepare
    const parameter = program.one('aws:ssm/parameter:Parameter');
    // act
    const stored = parameter.inputs.value;
    // assess
    expect(parameter.inputs).toMatchObject({ type: 'SecureString', tier: 'Standard', name: '/twitch-pipeline-prod/twitch-credentials' });
    expect(parameter.inputs.keyId).toBeUndefined();
    expect(program.ofType('aws:secretsmanager/secret:Secret')).toEqual([]);
    expect(isSecretInput(stored)).toBe(true);
    expect(JSON.parse(String(isSecretInput(stored) && stored.value))).toEqual({ client_id: 'client-id-for-tests', client_secret: CLIENT_SECRET });
  });
});

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

  it('lets extract write bronze, replace its own quarantine objects and read the secret, nothing else', () => {
    // prepare
    const statements = policyOf('extract');
    // act
    const can = (action: string, resource: string) => isAllowed(statements, action, resource);
    // assess
    expect(can('s3:PutObject', `${LAKE}/raw/streams/dt=2026-11-29/20261129T213000Z.parquet`)).toBe(true);
    expect(can('s3:PutObject', `${LAKE}/quarantine/streams/dt=2026-11-29/20261129T213000Z-bronze.parquet`)).toBe(true);
    expect(can('s3:DeleteObject', `${LAKE}/quarantine/streams/dt=2026-11-29/20261129T213000Z-bronze.parquet`)).toBe(true);
    expect(can('s3:PutObject', `${LAKE}/quarantine/streams/dt=2026-11-29/20261129T213000Z-silver.parquet`)).toBe(false);
    expect(can('s3:PutObject', `${LAKE}/gold/streams_diario/dt=2026-11-29/part-0.parquet`)).toBe(false);
    expect(can('s3:PutObject', `${LAKE}/silver/streams/dt=2026-11-29/x.parquet`)).toBe(false);
    expect(can('s3:GetObject', `${LAKE}/raw/streams/dt=2026-11-29/x.parquet`)).toBe(false);
    expect(can('s3:DeleteObject', `${LAKE}/raw/streams/dt=2026-11-29/x.parquet`)).toBe(false);
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

describe('pipeline stack: queues', () => {
  it('encrypts every queue and sends a message to the DLQ after 3 receives', () => {
    // prepare
    const redrive = program.one('aws:sqs/redrivePolicy:RedrivePolicy');
    // act
    const policy = JSON.parse(redrive.inputs.redrivePolicy);
    // assess
    expect(queueFindings(program)).toEqual([]);
    expect(program.ofType('aws:sqs/queue:Queue')).toHaveLength(2);
    expect(redrive.inputs.queueUrl).toBe(program.one('aws:sqs/queue:Queue', 'events').state.url);
    expect(policy).toEqual({ deadLetterTargetArn: queueArn('events-dlq'), maxReceiveCount: 3 });
  });

  it('sets the visibility timeout to six consumer timeouts', () => {
    // prepare
    const consumerTimeout = lambda('stream-consumer').inputs.timeout;
    // act
    const queue = program.one('aws:sqs/queue:Queue', 'events');
    // assess
    expect(queue.inputs.visibilityTimeoutSeconds).toBe(6 * consumerTimeout);
  });

  it('maps the queue to the consumer with partial batch responses', () => {
    // prepare
    const consumer = lambda('stream-consumer');
    // act
    const mapping = program.one('aws:lambda/eventSourceMapping:EventSourceMapping');
    // assess
    expect(mapping.inputs).toMatchObject({
      eventSourceArn: queueArn('events'),
      functionName: consumer.state.arn,
      functionResponseTypes: ['ReportBatchItemFailures'],
      batchSize: 10,
    });
  });
});

describe('pipeline stack: orchestration', () => {
  function definition() {
    return JSON.parse(program.one('aws:sfn/stateMachine:StateMachine').inputs.definition);
  }

  it('runs extract, publish, silver and gold in order, passing each step what the next needs', () => {
    // prepare
    const { StartAt, States } = definition();
    // act: past the overlap guard, which goes on to Extract when it lists no other execution
    const order = [States[States[StartAt].Next].Choices[0].Next];
    while (States[order.at(-1)].Next) order.push(States[order.at(-1)].Next);
    // assess
    expect(order).toEqual(['Extract', 'Publish', 'Silver', 'Gold', 'StepFailures']);
    // Each step also gets the execution's name, which its function logs (the run, interpreted, in state-machine-guard.test.ts).
    const named = (path: string) => `States.JsonMerge(${path}, States.StringToJson(States.Format('\\{"executionName":"{}"\\}', $$.Execution.Name)), false)`;
    expect(States.Extract.Parameters).toEqual({ FunctionName: lambda('extract').state.arn, 'Payload.$': named('$') });
    expect(States.Publish.Parameters['Payload.$']).toBe(named('$.extract.result'));
    expect(States.Silver.Parameters).toEqual({
      FunctionName: lambda('transform-silver').state.arn,
      Payload: { 'bronzeKeys.$': 'States.Array($.extract.result.bronzeKey)', includePending: true, 'executionName.$': '$$.Execution.Name' },
    });
    expect(States.Gold.Parameters.Payload).toEqual({
      'dates.$': '$.silver.result.dates',
      'collectedAt.$': '$.extract.result.collectedAt',
      'executionName.$': '$$.Execution.Name',
    });
  });

  it('keeps of silver and gold only the dates, failures and objects set aside the states after them read', () => {
    // prepare: a state may hold 256 KiB, and the summaries list every object of a backlog
    const { States } = definition();
    const kept = { result: { 'dates.$': '$.Payload.dates', 'failed.$': '$.Payload.failed', 'corrupt.$': '$.Payload.corrupt' } };
    // act
    const reads = JSON.stringify(Object.values(States)).match(/\$\.(silver|gold)\.result\.[a-z]+/g);
    // assess
    expect([States.Silver.ResultSelector, States.Gold.ResultSelector]).toEqual([kept, kept]);
    expect([...new Set(reads)].sort()).toEqual(['$.gold.result.corrupt', '$.gold.result.failed', '$.silver.result.corrupt', '$.silver.result.dates', '$.silver.result.failed']);
  });

  it('tells the alerts topic of the objects silver or gold set aside first, with no state more for a run that set none aside', () => {
    // prepare
    const { States } = definition();
    // act
    const check = States[States.Gold.Next];
    const afterNotice = States[States.NotifySetAside.Next];
    // assess: each transition is billed, so the notice is one more choice of the state after gold
    expect(check.Type).toBe('Choice');
    expect(check.Choices[0].Next).toBe('NotifySetAside');
    expect(check.Choices[0].Or).toHaveLength(2);
    expect(States.NotifySetAside).toMatchObject({ Resource: 'arn:aws:states:::sns:publish', ResultPath: null });
    expect(States.NotifySetAside.Parameters.TopicArn).toBe(topicArn());
    expect(States.NotifySetAside.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: States.NotifySetAside.Next }]);
    expect(afterNotice).toEqual({ Type: 'Choice', Choices: check.Choices.slice(1), Default: check.Default });
  });

  it.each([
    ['the objects silver could not transform', '$.silver.result.failed', 'SilverObjectsFailed'],
    ['the dates gold could not rebuild', '$.gold.result.failed', 'GoldDatesFailed'],
  ])('builds gold for the dates that landed, then fails the execution naming %s', (_what, failed, error) => {
    // prepare
    const { States } = definition();
    // act: where the execution goes after gold, with and without failures in the step's result
    const check = States[States.Gold.Next];
    const onFailures = check.Choices.find((choice: { Variable: string }) => choice.Variable === `${failed}[0]`);
    const described = States[onFailures.Next];
    // assess
    expect(check.Type).toBe('Choice');
    expect(onFailures.IsPresent).toBe(true);
    expect(described).toMatchObject({
      Type: 'Pass',
      Parameters: { Error: error, 'Cause.$': `States.JsonToString(${failed})` },
      ResultPath: '$.failure',
      Next: 'NotifyFailure',
    });
    expect(States[check.Default].Type).toBe('Succeed');
  });

  it('retries every step and notifies the alerts topic when one still fails', () => {
    // prepare
    const { States } = definition();
    // act
    const steps = ['Extract', 'Publish', 'Silver', 'Gold'].map((name) => States[name]);
    // assess
    for (const step of steps) {
      expect(step.Retry.flatMap((retry: { ErrorEquals: string[] }) => retry.ErrorEquals)).toEqual(
        expect.arrayContaining(['Lambda.TooManyRequestsException', 'States.TaskFailed']),
      );
      // What a retry cannot mend fails the run at once: a bad setting or input, credentials of the wrong shape.
      expect(step.Retry[0]).toEqual({ ErrorEquals: ['MissingSettingError', 'InvalidStepInputError', 'MalformedCredentialsError', 'ConfigError'], MaxAttempts: 0 });
    }
    for (const step of [steps[0], steps[2], steps[3]]) expect(step.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'NotifyFailure' }]);
    // A failed publish (the real-time path) lets the snapshot go through silver and gold, and is named after them.
    expect(States.Publish.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.publishFailure', Next: 'Silver' }]);
    expect(States.StepFailures.Choices.at(-1)).toEqual({ Variable: '$.publishFailure', IsPresent: true, Next: 'DescribePublishFailure' });
    expect(States.DescribePublishFailure).toMatchObject({ Parameters: { 'Error.$': '$.publishFailure.Error' }, Next: 'NotifyFailure' });
    expect(States.NotifyFailure).toMatchObject({ Resource: 'arn:aws:states:::sns:publish', Next: 'RunFailed' });
    expect(States.NotifyFailure.Parameters.TopicArn).toBe(topicArn());
    expect(States.RunFailed.Type).toBe('Fail');
  });

  it('lets the state machine invoke the four steps and publish to the topic only', () => {
    // prepare
    const statements = policyOf('state-machine');
    // act
    const invokes = FUNCTION_NAMES.map((fn) => isAllowed(statements, 'lambda:InvokeFunction', lambda(fn).state.arn));
    // assess
    expect(invokes).toEqual([true, true, false, true, true]);
    expect(isAllowed(statements, 'sns:Publish', topicArn())).toBe(true);
  });

  it('starts a run every 30 minutes on the clock with the scheduled time, through its own role', () => {
    // prepare
    const stateMachine = program.one('aws:sfn/stateMachine:StateMachine');
    // act
    const schedule = program.one('aws:scheduler/schedule:Schedule');
    // assess
    expect(schedule.inputs).toMatchObject({
      scheduleExpression: 'cron(0/30 * * * ? *)',
      state: 'ENABLED',
      flexibleTimeWindow: { mode: 'OFF' },
    });
    expect(schedule.inputs.target.arn).toBe(stateMachine.state.arn);
    expect(JSON.parse(schedule.inputs.target.input)).toEqual({ collectedAt: '<aws.scheduler.scheduled-time>' });
    expect(schedule.inputs.target.roleArn).toBe(program.one('aws:iam/role:Role', 'scheduler').state.arn);
    const statements = policyOf('scheduler');
    expect(isAllowed(statements, 'states:StartExecution', stateMachine.state.arn)).toBe(true);
    expect(isAllowed(statements, 'lambda:InvokeFunction', lambda('extract').state.arn)).toBe(false);
  });
});

describe('pipeline stack: alerts and alarms', () => {
  const alarm = (name: string) => program.one('aws:cloudwatch/metricAlarm:MetricAlarm', name);

  it('subscribes the configured e-mail to the alerts topic', () => {
    // prepare
    const topic = program.one('aws:sns/topic:Topic');
    // act
    const subscription = program.one('aws:sns/topicSubscription:TopicSubscription');
    // assess
    expect(subscription.inputs).toMatchObject({ topic: topic.state.arn, protocol: 'email', endpoint: 'data-alerts@twitch-streams-team.io' });
  });

  it('makes every alarm notify the topic, when firing and when recovering', () => {
    // prepare
    const alarms = program.ofType('aws:cloudwatch/metricAlarm:MetricAlarm');
    // act
    const notified = alarms.filter(
      (candidate: RecordedResource) =>
        candidate.inputs.alarmActions?.includes(topicArn()) && candidate.inputs.okActions?.includes(topicArn()),
    );
    // assess
    expect(alarms).toHaveLength(8);
    expect(notified).toHaveLength(alarms.length);
  });

  it('fires when a message reaches the DLQ', () => {
    // prepare
    const dlq = program.one('aws:sqs/queue:Queue', 'events-dlq');
    // act
    const { inputs } = alarm('dlq-not-empty');
    // assess
    expect(inputs).toMatchObject({
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: dlq.state.name },
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it("fires when the consumer's error rate (errors / invocations) exceeds 5 %", () => {
    // prepare
    const consumer = alarm('stream-consumer-error-rate').inputs;
    // act
    const expression = consumer.metricQueries.find((query: { expression?: string }) => query.expression);
    const metrics = consumer.metricQueries.filter((query: { metric?: unknown }) => query.metric);
    // assess
    expect(consumer).toMatchObject({ threshold: 5, comparisonOperator: 'GreaterThanThreshold' });
    expect(expression.expression).toBe('IF(invocations > 0, 100 * errors / invocations, 0)');
    expect(metrics.map((query: { id: string; metric: { metricName: string; dimensions: Record<string, string> } }) => [query.id, query.metric.metricName, query.metric.dimensions.FunctionName])).toEqual([
      ['errors', 'Errors', 'twitch-pipeline-prod-stream-consumer'],
      ['invocations', 'Invocations', 'twitch-pipeline-prod-stream-consumer'],
    ]);
  });

  it('fires on one error of a scheduled step, which at 18 invocations a window at most is already more than 5 %', () => {
    // prepare
    const steps = FUNCTION_NAMES.filter((fn) => fn !== 'stream-consumer');
    // act
    const alarms = steps.map((fn) => alarm(`${fn}-error-rate`).inputs);
    // assess
    expect(maxStepInvocationsPerWindow({ intervalMinutes: 30, errorRateWindowMinutes: 60 })).toBe(18);
    expect(100 / 18).toBeGreaterThan(5);
    for (const [index, inputs] of alarms.entries()) {
      expect(inputs).toMatchObject({
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: { FunctionName: `twitch-pipeline-prod-${steps[index]}` },
        statistic: 'Sum',
        period: 3600,
        threshold: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('keeps the rate form for every function when one error is not above the threshold', () => {
    // prepare: a 4-hour window holds 8 runs × 9 attempts, and 1/72 is under 5 %
    const settings = { prefix: 'p', intervalMinutes: 30, errorRateThresholdPercent: 5, errorRateWindowMinutes: 240, scheduleEnabled: true };
    const targets = { functionNames: Object.fromEntries(FUNCTION_NAMES.map((fn) => [fn, fn])) as Record<FunctionName, string>, deadLetterQueueName: 'dlq', stateMachineArn: 'sm' };
    // act
    const definitions = alarmDefinitions(settings, targets).filter((definition) => definition.id.endsWith('-error-rate'));
    // assess
    expect(definitions).toHaveLength(5);
    for (const definition of definitions) expect(Object.keys(definition.metrics)).toEqual(['errors', 'invocations']);
  });

  it('fires on a failed run and when no bronze snapshot landed for two intervals', () => {
    // prepare
    const stateMachine = program.one('aws:sfn/stateMachine:StateMachine');
    // act
    const failed = alarm('run-failed').inputs;
    const fresh = alarm('no-fresh-snapshot').inputs;
    // assess
    expect(failed).toMatchObject({ threshold: 1, namespace: 'AWS/States', metricName: 'ExecutionsFailed', dimensions: { StateMachineArn: stateMachine.state.arn } });
    expect(JSON.parse(stateMachine.inputs.definition).TimeoutSeconds).toBeUndefined();
    expect(fresh).toMatchObject({
      namespace: 'TwitchPipeline',
      dimensions: { service: 'twitch-pipeline-prod' },
      statistic: 'SampleCount',
      period: 1800,
      evaluationPeriods: 2,
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      treatMissingData: 'breaching',
    });
    expect(isCatalogued(fresh.metricName, 'extract', [])).toBe(true);
  });

  it("reads the custom metrics under the service dimension this stack's functions emit, its own prefix", () => {
    // prepare: stacks in one account and region share the TwitchPipeline namespace
    const fresh = alarm('no-fresh-snapshot').inputs;
    // act
    const services = FUNCTION_NAMES.map((fn) => lambda(fn).inputs.environment.variables[METRICS_SERVICE_VARIABLE]);
    const otherStack = alarmDefinitions(
      { prefix: 'twitch-pipeline-dev', intervalMinutes: 30, errorRateThresholdPercent: 5, errorRateWindowMinutes: 60, scheduleEnabled: true },
      { functionNames: Object.fromEntries(FUNCTION_NAMES.map((fn) => [fn, fn])) as Record<FunctionName, string>, deadLetterQueueName: 'dlq', stateMachineArn: 'sm' },
    ).find((definition) => definition.id === 'no-fresh-snapshot')!;
    // assess
    expect(services).toEqual(FUNCTION_NAMES.map(() => fresh.dimensions.service));
    expect(otherStack.metrics.snapshots!.dimensions).toEqual({ service: 'twitch-pipeline-dev' });
  });
});

describe('pipeline stack: tracing', () => {
  it('traces every function and the state machine, and lets each write its traces', () => {
    // prepare
    const stateMachine = program.one('aws:sfn/stateMachine:StateMachine');
    // act
    const modes = FUNCTION_NAMES.map((fn) => lambda(fn).inputs.tracingConfig?.mode);
    // assess
    expect(modes).toEqual(FUNCTION_NAMES.map(() => 'Active'));
    expect(stateMachine.inputs.tracingConfiguration).toEqual({ enabled: true });
    for (const owner of [...FUNCTION_NAMES, 'state-machine']) {
      const statements = statementsOf(program.one('aws:iam/rolePolicy:RolePolicy', owner).inputs.policy);
      expect(isAllowed(statements, 'xray:PutTraceSegments', '*'), owner).toBe(true);
      expect(isAllowed(statements, 'xray:PutTelemetryRecords', '*'), owner).toBe(true);
    }
  });
});

describe('pipeline stack: dashboard', () => {
  it('names the dashboard after the stack and its region: dashboards are global to the account', () => {
    // prepare
    const dashboard = program.one('aws:cloudwatch/dashboard:Dashboard');
    // act
    const { dashboardName } = dashboard.inputs;
    // assess
    expect(dashboardName).toBe(`twitch-pipeline-prod-${REGION}`);
  });

  it("points every metric row at this stack's functions, queues and state machine, or its metrics' service", () => {
    // prepare
    const expected = new Set([
      ...FUNCTION_NAMES.map((fn) => `twitch-pipeline-prod-${fn}`),
      program.one('aws:sqs/queue:Queue', 'events').state.name,
      program.one('aws:sqs/queue:Queue', 'events-dlq').state.name,
      program.one('aws:sfn/stateMachine:StateMachine').state.arn,
      lambda('extract').inputs.environment.variables[METRICS_SERVICE_VARIABLE],
    ]);
    // act
    const body = JSON.parse(program.one('aws:cloudwatch/dashboard:Dashboard').inputs.dashboardBody);
    const rows: unknown[][] = body.widgets.filter((widget: { type: string }) => widget.type === 'metric').flatMap((widget: { properties: { metrics: unknown[][] } }) => widget.properties.metrics);
    const values = rows.map((row) => row.filter((part) => typeof part === 'string').slice(2).filter((_, index) => index % 2 === 1));
    // assess
    expect(rows.length).toBeGreaterThan(20);
    for (const value of values.flat()) expect(expected, String(value)).toContain(value);
  });

  it('shows Lambda, the queues, executions, the custom metrics, the log widgets and every alarm', () => {
    // prepare
    const alarms = program.ofType('aws:cloudwatch/metricAlarm:MetricAlarm').map((candidate) => candidate.state.arn);
    // act
    const body = JSON.parse(program.one('aws:cloudwatch/dashboard:Dashboard').inputs.dashboardBody);
    const metricNames = new Set(
      body.widgets.filter((widget: { type: string }) => widget.type === 'metric').flatMap((widget: { properties: { metrics: string[][] } }) => widget.properties.metrics.map((row) => row[1])),
    );
    const logQueries = body.widgets.filter((widget: { type: string }) => widget.type === 'log').map((widget: { properties: { query: string } }) => widget.properties.query);
    // assess
    for (const name of ['Invocations', 'Errors', 'Duration', 'NumberOfMessagesSent', 'NumberOfMessagesReceived', 'ApproximateAgeOfOldestMessage', 'ApproximateNumberOfMessagesVisible', 'ExecutionsFailed', 'StreamsWritten', 'ColdStart']) {
      expect(metricNames).toContain(name);
    }
    expect(logQueries).toHaveLength(5);
    for (const query of logQueries) expect(query).toMatch(/^SOURCE '\/aws\/lambda\/twitch-pipeline-prod-[a-z-]+'( \| SOURCE '[^']+')* \| /);
    expect(body.widgets.find((widget: { type: string }) => widget.type === 'alarm').properties.alarms.sort()).toEqual(alarms.sort());
  });
});

describe('pipeline stack: config and exports', () => {
  it('documents and sets every plain config key in both stack files', () => {
    // prepare
    const expected = [...PIPELINE_CONFIG_KEYS].sort();
    // act
    const dev = stackFileKeys(fileURLToPath(new URL('../Pulumi.dev.yaml', import.meta.url)), PROJECT);
    const prod = stackFileKeys(fileURLToPath(new URL('../Pulumi.prod.yaml', import.meta.url)), PROJECT);
    // assess
    expect(dev).toEqual(expected);
    expect(prod).toEqual(expected);
  });

  it('tells how to set every secret key in both stack files, and sets none as plain text', () => {
    // prepare
    const files = ['../Pulumi.dev.yaml', '../Pulumi.prod.yaml'].map((file) => fileURLToPath(new URL(file, import.meta.url)));
    // act
    const texts = files.map((file) => readFileSync(file, 'utf8'));
    const keys = files.flatMap((file) => stackFileKeys(file, PROJECT));
    // assess
    for (const key of PIPELINE_SECRET_KEYS) {
      for (const text of texts) expect(text).toMatch(new RegExp(`^#\\s+pulumi config set --secret ${key}\\s`, 'm'));
      expect(keys).not.toContain(key);
    }
  });

  it('exports the state machine, queues, topic, secret and dashboard', () => {
    // prepare
    const stateMachine = program.one('aws:sfn/stateMachine:StateMachine');
    // act
    const { outputs } = program;
    // assess
    expect(outputs).toMatchObject({
      stateMachineArn: stateMachine.state.arn,
      alertsTopicArn: topicArn(),
      dashboardName: `twitch-pipeline-prod-${REGION}`,
      eventsQueueUrl: program.one('aws:sqs/queue:Queue', 'events').state.url,
    });
    expect(Object.keys(outputs.functionNamesByStep as object).sort()).toEqual([...FUNCTION_NAMES].sort());
  });
});
