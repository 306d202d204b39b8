import { describe, expect, it } from 'vitest';
import { assertStackName, LONGEST_STACK_NAMES, MAX_STACK_NAME_LENGTH, resourcePrefixes } from '../src/stack-name';

describe('stack names', () => {
  it('derives the longest stack name from the tightest name the stacks build: 64 - "twitch-pipeline--transform-silver"', () => {
    // act
    const rooms = LONGEST_STACK_NAMES.map(({ name, limit }) => limit - name.replace('<stack>', '').length);
    // assess
    expect(MAX_STACK_NAME_LENGTH).toBe(Math.min(...rooms));
    expect(MAX_STACK_NAME_LENGTH).toBe(64 - 'twitch-pipeline--transform-silver'.length);
  });

  it.each(['dev', 'prod', 'prod-eu', 'staging2', 'a', 'p'.repeat(MAX_STACK_NAME_LENGTH)])('accepts %s', (stack) => {
    // act
    const check = () => assertStackName(stack);
    // assess
    expect(check).not.toThrow();
  });

  it.each([
    ['Prod', 'prod'],
    ['prod.eu', 'prod-eu'],
    ['prod_eu', 'prod-eu'],
    ['prod--eu', 'prod-eu'],
    ['prod-', 'prod'],
    ['2prod', 'prod'],
    ['-prod', 'prod'],
    ['', 'prod-eu'],
  ])('refuses %s, naming it, the rule and a good name', (stack, suggestion) => {
    // act
    const check = () => assertStackName(stack);
    // assess
    expect(check).toThrow(`stack name "${stack}" cannot name every AWS resource the stacks build`);
    expect(check).toThrow(
      `a stack name must be lowercase letters, digits and single hyphens, start with a letter and be at most ${MAX_STACK_NAME_LENGTH} characters, ` +
        `for example "${suggestion}"`,
    );
  });

  it('refuses a name one character too long, naming the limit it would exceed', () => {
    // prepare
    const stack = `prod-${'x'.repeat(MAX_STACK_NAME_LENGTH - 4)}`;
    // act
    const check = () => assertStackName(stack);
    // assess
    expect(check).toThrow(
      `stack name "${stack}" is 32 characters long, and twitch-pipeline-<stack>-transform-silver (the transform-silver Lambda function) ` +
        "would exceed AWS's limit of 64",
    );
    expect(check).toThrow(`for example "${stack.slice(0, MAX_STACK_NAME_LENGTH)}"`);
  });

  it('gives two stack names two SQL prefixes, and checks the name first', () => {
    // act
    const prefixes = resourcePrefixes('prod-eu');
    const refused = () => resourcePrefixes('prod_eu');
    // assess
    expect(prefixes).toEqual({ prefix: 'twitch-pipeline-prod-eu', sqlPrefix: 'twitch_pipeline_prod_eu' });
    expect(refused).toThrow(/stack name "prod_eu"/);
  });
});
