import { createRequire } from 'node:module';
import { type MockedProgram, runMockedProgram } from '@twitch-pipeline/infra-components/testing';
import { beforeAll, describe, expect, it } from 'vitest';

interface AslResult {
  isValid: boolean;
  errors: { 'Error code': string; Message: string }[];
}
// asl-validator is CommonJS and ships no types: its default export takes a parsed definition.
const validateAsl = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => AslResult;

// No Pulumi engine or AWS account exists in tests: the stack runs under Pulumi's unit-test mocks,
// and the data stack's outputs come from a mocked StackReference.
const REGION = 'sa-east-1';
const ACCOUNT = '123456789012';
let program: MockedProgram;

// biome-ignore lint/suspicious/noExplicitAny: a state machine definition is free-form JSON
type Definition = Record<string, any>;

function renderedDefinition(): Definition {
  return JSON.parse(program.one('aws:sfn/stateMachine:StateMachine').inputs.definition);
}

function explain(result: AslResult): string {
  return result.errors.map((error) => `${error['Error code']}: ${error.Message}`).join('\n');
}

beforeAll(async () => {
  program = await runMockedProgram(
    {
      project: 'twitch-pipeline-pipeline',
      stack: 'dev',
      config: {
        dataStack: 'organization/twitch-pipeline-data/dev',
        alertEmail: 'data-alerts-dev@example.com',
        twitchClientId: 'client-id-for-tests',
        twitchClientSecret: 'client-secret-for-tests',
      },
      secretKeys: ['twitchClientId', 'twitchClientSecret'],
      stackOutputs: {
        'organization/twitch-pipeline-data/dev': {
          region: REGION,
          lakeBucketName: 'twitch-lake',
          lakeBucketArn: 'arn:aws:s3:::twitch-lake',
          realtimeTableName: 'twitch_pipeline_dev_realtime_streams',
          realtimeTableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/twitch_pipeline_dev_realtime_streams`,
        },
      },
    },
    () => import('../index'),
  );
});

describe('pipeline stack: state machine definition', () => {
  it('is valid Amazon States Language', () => {
    // prepare
    const definition = renderedDefinition();
    // act
    const result = validateAsl(definition);
    // assess
    expect(Object.keys(definition.States).length).toBeGreaterThanOrEqual(4);
    expect(result.errors, explain(result)).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('is rejected by the same validator when a transition leads to a missing state', () => {
    // prepare
    const broken = renderedDefinition();
    const [first] = Object.keys(broken.States);
    broken.States[first!] = { ...broken.States[first!], Next: 'NoSuchState' };
    delete broken.States[first!].End;
    // act
    const result = validateAsl(broken);
    // assess
    expect(result.isValid).toBe(false);
    expect(explain(result)).toMatch(/NoSuchState/);
  });

  it('is rejected without StartAt, or when StartAt names no state', () => {
    // prepare
    const withoutStart = renderedDefinition();
    delete withoutStart.StartAt;
    const wrongStart = { ...renderedDefinition(), StartAt: 'Nowhere' };
    // act
    const results = [validateAsl(withoutStart), validateAsl(wrongStart)];
    // assess
    expect(results.map((result) => result.isValid)).toEqual([false, false]);
    expect(explain(results[0]!)).toMatch(/StartAt/);
  });

  it('is rejected when a task state has neither Next nor End', () => {
    // prepare
    const broken = renderedDefinition();
    const task = Object.keys(broken.States).find((name) => broken.States[name].Type === 'Task');
    delete broken.States[task!].Next;
    delete broken.States[task!].End;
    // act
    const result = validateAsl(broken);
    // assess
    expect(task).toBeDefined();
    expect(result.isValid).toBe(false);
  });
});
