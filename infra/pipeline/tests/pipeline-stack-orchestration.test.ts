import { isAllowed } from '@twitch-pipeline/infra-components/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES } from '../src/config';
import { lambda, policyOf, program, runProdStack, topicArn } from './support/prod-stack';

// The prod stack's state machine: its steps, retries and failure notices, and the schedule that starts it.
beforeAll(runProdStack);

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
      // What a retry cannot mend fails the run at once: a bad setting or input, credentials of the wrong shape or that cannot be read.
      expect(step.Retry[0]).toEqual({
        ErrorEquals: ['MissingSettingError', 'InvalidStepInputError', 'MalformedCredentialsError', 'UnreadableCredentialsError', 'ConfigError'],
        MaxAttempts: 0,
      });
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
