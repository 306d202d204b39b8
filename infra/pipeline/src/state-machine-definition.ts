import { QUICK_RETRY, retries, TASK_ATTEMPTS } from './state-machine-retries';

/** ARNs the state machine definition refers to. */
export interface StepArns {
  extract: string;
  publish: string;
  silver: string;
  gold: string;
  alertsTopic: string;
}

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';

/**
 * How many running executions the overlap guard lists, newest first, to find the oldest one. More
 * are never expected (every execution after the first skips within seconds); a full page makes
 * the execution skip, since the oldest may lie beyond it.
 */
const RUNNING_LISTED = 100;

/**
 * What a transform step's output keeps in the execution's state: the dates and the failures the
 * states after it read. Step Functions checks the task's result against the 256 KiB a state may
 * hold before this selects from it, and that error no Catch takes, so the handlers themselves
 * return only the first objects of each list (`apps/transform/src/step-output.ts`).
 */
const TRANSFORM_RESULT = { result: { 'dates.$': '$.Payload.dates', 'failed.$': '$.Payload.failed', 'corrupt.$': '$.Payload.corrupt' } };

/** The execution's name, which every step's function logs as `execution_name`. */
const EXECUTION_NAME = '$$.Execution.Name';

/**
 * The input at `path` with the execution's name added as `executionName`. Intrinsic functions
 * build no object from literal keys, hence the JSON text; a name holds no quote or backslash.
 */
const withExecutionName = (path: string) =>
  `States.JsonMerge(${path}, States.StringToJson(States.Format('\\{"executionName":"{}"\\}', ${EXECUTION_NAME})), false)`;

/** Where the execution goes after gold when a step failed: silver's failures first, then gold's, then a failed publish. */
const FAILURE_CHOICES = [
  { Variable: '$.silver.result.failed[0]', IsPresent: true, Next: 'DescribeSilverFailures' },
  { Variable: '$.gold.result.failed[0]', IsPresent: true, Next: 'DescribeGoldFailures' },
  { Variable: '$.publishFailure', IsPresent: true, Next: 'DescribePublishFailure' },
];

/** Whether a transform step's result lists objects it set aside (a missing list counts as none). */
const setAsideBy = (step: 'silver' | 'gold') => ({
  And: [
    { Variable: `$.${step}.result.corrupt.count`, IsPresent: true },
    { Variable: `$.${step}.result.corrupt.count`, NumericGreaterThan: 0 },
  ],
});

function step(
  functionArn: string,
  payload: Record<string, unknown>,
  resultPath: string,
  next?: string,
  taskRetries = TASK_ATTEMPTS.other,
  resultSelector: Record<string, unknown> = { 'result.$': '$.Payload' },
  onFailure: { resultPath: string; next: string } = { resultPath: '$.failure', next: 'NotifyFailure' },
) {
  return {
    Type: 'Task',
    Resource: LAMBDA_INVOKE,
    Parameters: { FunctionName: functionArn, ...payload },
    ResultSelector: resultSelector,
    ResultPath: resultPath,
    Retry: retries(taskRetries),
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: onFailure.resultPath, Next: onFailure.next }],
    ...(next ? { Next: next } : { End: true }),
  };
}

/**
 * The Amazon States Language definition of one pipeline run: a guard that ends the execution as
 * skipped, telling the alerts topic, when an earlier execution of this state machine is still
 * running (two writers never overlap), then extract → publish → silver → gold, each retried, and any step that still fails
 * notifies the alerts topic and fails the execution; a publish that fails does so after silver and gold. Silver gets the snapshot extract wrote;
 * gold gets the dates silver touched (and rebuilds the dates earlier runs left pending); bronze
 * objects silver could not transform, and dates gold could not rebuild, fail the execution after
 * gold, named in the notification; objects silver or gold set aside are named to the topic first.
 *
 * @example
 * const definition = pipelineDefinition({ extract, publish, silver, gold, alertsTopic });
 */
export function pipelineDefinition(arns: StepArns): string {
  return JSON.stringify({
    Comment: 'One collection cycle: extract, publish, silver, gold (skipped while an earlier cycle still runs)',
    StartAt: 'CheckRunning',
    States: {
      CheckRunning: {
        Type: 'Task',
        // Newest first. Two executions started in the same instant each see the other: only the
        // oldest one listed goes on, so one of them runs rather than both skipping.
        Resource: 'arn:aws:states:::aws-sdk:sfn:listExecutions',
        Parameters: { 'StateMachineArn.$': '$$.StateMachine.Id', StatusFilter: 'RUNNING', MaxResults: RUNNING_LISTED },
        ResultSelector: { 'running.$': 'States.ArrayLength($.Executions)', 'executions.$': '$.Executions' },
        ResultPath: '$.guard',
        Retry: QUICK_RETRY,
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'NotifyFailure' }],
        Next: 'AnyRunning',
      },
      // The listing is eventually consistent: this execution may not be in it yet, and an empty
      // one shows no earlier execution either.
      // A full page may not hold the oldest running execution: this one then skips too.
      // This execution alone (every cycle but an overlapping one) goes on at once: two billed
      // transitions fewer than through the oldest's comparison below.
      AnyRunning: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.guard.running', NumericEquals: 0, Next: 'Extract' },
          {
            And: [
              { Variable: '$.guard.running', NumericEquals: 1 },
              { Variable: '$.guard.executions[0].ExecutionArn', StringEqualsPath: '$$.Execution.Id' },
            ],
            Next: 'Extract',
          },
          { Variable: '$.guard.running', NumericGreaterThanEquals: RUNNING_LISTED, Next: 'NotifySkipped' },
        ],
        Default: 'OldestRunning',
      },
      OldestRunning: {
        Type: 'Pass',
        Parameters: {
          'oldest.$': 'States.ArrayGetItem($.guard.executions, States.MathAdd($.guard.running, -1))',
          'self.$': '$$.Execution.Id',
        },
        ResultPath: '$.guard',
        Next: 'PreviousStillRunning',
      },
      // Anything older than this execution still runs (or this one is not listed yet while another is).
      PreviousStillRunning: {
        Type: 'Choice',
        Choices: [{ Not: { Variable: '$.guard.oldest.ExecutionArn', StringEqualsPath: '$.guard.self' }, Next: 'NotifySkipped' }],
        Default: 'Extract',
      },
      // A skipped cycle's snapshot is never taken, and one missing snapshot raises no alarm.
      NotifySkipped: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sns:publish',
        Parameters: {
          TopicArn: arns.alertsTopic,
          Subject: 'Twitch pipeline cycle skipped',
          'Message.$':
            "States.Format('Execution {} started at {} was skipped: an earlier execution is still running, so this cycle collects no snapshot.', $$.Execution.Id, $$.Execution.StartTime)",
        },
        ResultPath: null,
        Retry: QUICK_RETRY,
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'Skipped' }],
        Next: 'Skipped',
      },
      Skipped: {
        Type: 'Succeed',
        Comment: 'An earlier execution is still running; this cycle is skipped so that no two runs write the lake at once',
      },
      Extract: step(arns.extract, { 'Payload.$': withExecutionName('$') }, '$.extract', 'Publish', TASK_ATTEMPTS.extract),
      // The real-time path is not the lake's: a publish that still fails is named after gold,
      // and the snapshot still goes through silver and gold.
      Publish: step(arns.publish, { 'Payload.$': withExecutionName('$.extract.result') }, '$.publish', 'Silver', TASK_ATTEMPTS.other, undefined, {
        resultPath: '$.publishFailure',
        next: 'Silver',
      }),
      Silver: step(
        arns.silver,
        // Pending ones too: a snapshot an earlier run left without silver, or whose silver gold set aside as unreadable.
        { Payload: { 'bronzeKeys.$': 'States.Array($.extract.result.bronzeKey)', includePending: true, 'executionName.$': EXECUTION_NAME } },
        '$.silver',
        'Gold',
        TASK_ATTEMPTS.other,
        TRANSFORM_RESULT,
      ),
      // The slot decides which runs list the whole lake (see apps/transform/src/listing-window.ts).
      Gold: step(
        arns.gold,
        { Payload: { 'dates.$': '$.silver.result.dates', 'collectedAt.$': '$.extract.result.collectedAt', 'executionName.$': EXECUTION_NAME } },
        '$.gold',
        'StepFailures',
        TASK_ATTEMPTS.other,
        TRANSFORM_RESULT,
      ),
      // Objects silver could not transform stay pending for the next run, and so do dates gold
      // could not rebuild; the other dates are published, and the execution still fails, naming
      // them (the CLI's cycle does the same). Silver's failures are named first when both fail,
      // then gold's, then a failed publish. Objects set aside come before all of them: the same
      // choice state tells, so that a run with none takes no more transitions (each one is billed).
      StepFailures: {
        Type: 'Choice',
        Choices: [{ Or: [setAsideBy('silver'), setAsideBy('gold')], Next: 'NotifySetAside' }, ...FAILURE_CHOICES],
        Default: 'Done',
      },
      // An object no run can read or transform is moved to quarantine/corrupt/ and the run goes on;
      // in the CLI the cycle's lines name it, here the alerts topic does, whether or not the run fails.
      NotifySetAside: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sns:publish',
        Parameters: {
          TopicArn: arns.alertsTopic,
          Subject: 'Twitch pipeline objects set aside',
          'Message.$':
            "States.Format('Execution {} moved lake objects it could not read or transform to quarantine/corrupt/ (a .reason.json beside each says why). Silver: {} Gold: {}', $$.Execution.Id, States.JsonToString($.silver.result.corrupt), States.JsonToString($.gold.result.corrupt))",
        },
        ResultPath: null,
        Retry: QUICK_RETRY,
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'StepFailuresAfterNotice' }],
        Next: 'StepFailuresAfterNotice',
      },
      StepFailuresAfterNotice: { Type: 'Choice', Choices: FAILURE_CHOICES, Default: 'Done' },
      DescribePublishFailure: {
        Type: 'Pass',
        Parameters: { 'Error.$': '$.publishFailure.Error', 'Cause.$': '$.publishFailure.Cause' },
        ResultPath: '$.failure',
        Next: 'NotifyFailure',
      },
      DescribeSilverFailures: {
        Type: 'Pass',
        Parameters: { Error: 'SilverObjectsFailed', 'Cause.$': 'States.JsonToString($.silver.result.failed)' },
        ResultPath: '$.failure',
        Next: 'NotifyFailure',
      },
      DescribeGoldFailures: {
        Type: 'Pass',
        Parameters: { Error: 'GoldDatesFailed', 'Cause.$': 'States.JsonToString($.gold.result.failed)' },
        ResultPath: '$.failure',
        Next: 'NotifyFailure',
      },
      Done: { Type: 'Succeed' },
      NotifyFailure: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sns:publish',
        Parameters: {
          TopicArn: arns.alertsTopic,
          Subject: 'Twitch pipeline run failed',
          'Message.$': "States.Format('Execution {} failed: {} {}', $$.Execution.Id, $.failure.Error, $.failure.Cause)",
        },
        ResultPath: null,
        Retry: QUICK_RETRY,
        // A notice that cannot be sent still ends the execution with the step's own error, not SNS's.
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'RunFailed' }],
        Next: 'RunFailed',
      },
      // The execution's own error and cause are the failing step's (`HelixRequestError`,
      // `SilverObjectsFailed`, …): what the console, `describe-execution` and the execution
      // status events show, where a fixed text would send the on-call engineer to the e-mail.
      RunFailed: {
        Type: 'Fail',
        ErrorPath: '$.failure.Error',
        CausePath: '$.failure.Cause',
      },
    },
  });
}
