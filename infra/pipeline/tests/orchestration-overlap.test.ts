import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { pipelineDefinition } from '../src/state-machine-definition';
import { assertExtractFitsSchedule, extractWorstCaseSeconds } from '../src/state-machine-retries';
import { STEP_ARNS } from './support/step-arns';

const validateAsl = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => { isValid: boolean };


describe('state machine overlap guard', () => {
  it('starts by listing its own running executions and goes on only when it is the oldest listed, or none is, at once when it is alone', () => {
    // Prepare
    const definition = JSON.parse(pipelineDefinition(STEP_ARNS));

    // Act
    const guard = definition.States[definition.StartAt];
    const anyRunning = definition.States[guard.Next];
    const oldest = definition.States[anyRunning.Default];
    const previous = definition.States[oldest.Next];

    // Assess
    expect(validateAsl(definition).isValid).toBe(true);
    expect(guard).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:sfn:listExecutions',
      Parameters: { 'StateMachineArn.$': '$$.StateMachine.Id', StatusFilter: 'RUNNING', MaxResults: 100 },
      ResultSelector: { 'running.$': 'States.ArrayLength($.Executions)', 'executions.$': '$.Executions' },
    });
    expect(anyRunning.Choices).toEqual([
      { Variable: '$.guard.running', NumericEquals: 0, Next: 'Extract' },
      {
        And: [
          { Variable: '$.guard.running', NumericEquals: 1 },
          { Variable: '$.guard.executions[0].ExecutionArn', StringEqualsPath: '$$.Execution.Id' },
        ],
        Next: 'Extract',
      },
      { Variable: '$.guard.running', NumericGreaterThanEquals: 100, Next: 'NotifySkipped' },
    ]);
    expect(oldest).toMatchObject({ Type: 'Pass', ResultPath: '$.guard', Parameters: { 'self.$': '$$.Execution.Id' } });
    expect(previous.Choices).toEqual([{ Not: { Variable: '$.guard.oldest.ExecutionArn', StringEqualsPath: '$.guard.self' }, Next: 'NotifySkipped' }]);
    expect(previous.Default).toBe('Extract');
  });

  it('tells the alerts topic that a skipped cycle collects no snapshot, then ends it as skipped', () => {
    // Prepare
    const definition = JSON.parse(pipelineDefinition(STEP_ARNS));

    // Act
    const notify = definition.States.NotifySkipped;

    // Assess
    expect(notify).toMatchObject({ Resource: 'arn:aws:states:::sns:publish', Parameters: { TopicArn: STEP_ARNS.alertsTopic }, Next: 'Skipped' });
    expect(notify.Parameters['Message.$']).toContain('collects no snapshot');
    expect(notify.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'Skipped' }]);
    expect(definition.States.Skipped.Type).toBe('Succeed');
  });
});

describe("extract's worst case against the schedule period", () => {
  it('fits with the default sizing: two 600 s attempts, the retry delay and throttle retries stay under 30 minutes', () => {
    // Act
    const worst = extractWorstCaseSeconds(600);

    // Assess: 2 × 600 + 30 + (2 + 4 + 8 + 16 + 32 + 64)
    expect(worst).toBe(1356);
    expect(() => assertExtractFitsSchedule(600, 30)).not.toThrow();
    const retriers = JSON.parse(pipelineDefinition(STEP_ARNS)).States.Extract.Retry as { ErrorEquals: string[]; MaxAttempts: number }[];
    expect(retriers.find((retrier) => retrier.ErrorEquals.includes('States.TaskFailed'))?.MaxAttempts).toBe(1);
  });

  it('refuses a stack whose extract timeout could overrun the next cycle', () => {
    // act + assess
    expect(() => assertExtractFitsSchedule(900, 30)).toThrow(/worst case \(1956 s.*does not fit in the schedule period of 1800 s/);
    expect(() => assertExtractFitsSchedule(600, 15)).toThrow(/intervalMinutes=15/);
  });
});
