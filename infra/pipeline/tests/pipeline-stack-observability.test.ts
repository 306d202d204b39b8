import { isAllowed, type RecordedResource, statementsOf } from '@twitch-pipeline/infra-components/testing';
import { isCatalogued, METRICS_SERVICE_VARIABLE } from '@twitch-pipeline/observability';
import { beforeAll, describe, expect, it } from 'vitest';
import { alarmDefinitions, maxStepInvocationsPerWindow } from '../src/alarms';
import { FUNCTION_NAMES, type FunctionName } from '../src/config';
import { lambda, program, REGION, runProdStack, topicArn } from './support/prod-stack';

// What the prod stack shows of a run: alerts and alarms, tracing, and the dashboard.
beforeAll(runProdStack);

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
