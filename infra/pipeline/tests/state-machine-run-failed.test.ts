import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { pipelineDefinition } from '../src/state-machine-definition';

// asl-validator is CommonJS and ships no types: its default export takes a parsed definition.
const validateAsl = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => { isValid: boolean };

// biome-ignore lint/suspicious/noExplicitAny: a state machine definition is free-form JSON
type State = Record<string, any>;

const ARNS = { extract: 'arn:extract', publish: 'arn:publish', silver: 'arn:silver', gold: 'arn:gold', alertsTopic: 'arn:topic' };

describe('state machine definition: a failed run', () => {
  it("ends the execution with the failing step's error and cause, which every way into it sets", () => {
    // prepare
    const definition = JSON.parse(pipelineDefinition(ARNS)) as { States: Record<string, State> };
    const states = Object.entries(definition.States);

    // act: every state that goes on to the failure notice, and what it puts where the end state reads
    const intoFailure = states.flatMap(([name, state]) => [
      ...(state.Catch ?? []).filter((rule: State) => rule.Next === 'NotifyFailure').map((rule: State) => ({ name, resultPath: rule.ResultPath })),
      ...(state.Next === 'NotifyFailure' ? [{ name, resultPath: state.ResultPath }] : []),
    ]);

    // assess: the console and `describe-execution` show e.g. HelixRequestError, not a fixed text
    expect(definition.States.RunFailed).toEqual({ Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' });
    expect(definition.States.NotifyFailure).toMatchObject({ ResultPath: null, Next: 'RunFailed' });
    expect(intoFailure.length).toBeGreaterThanOrEqual(7);
    for (const way of intoFailure) expect(way, way.name).toMatchObject({ resultPath: '$.failure' });
    for (const name of ['DescribeSilverFailures', 'DescribeGoldFailures', 'DescribePublishFailure']) {
      expect(Object.keys(definition.States[name]?.Parameters ?? {}).sort(), name).toEqual(expect.arrayContaining([expect.stringMatching(/^Error/), expect.stringMatching(/^Cause/)]));
    }
    expect(validateAsl(definition).isValid).toBe(true);
  });
});
