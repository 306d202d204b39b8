import { MAX_STACK_NAME_LENGTH } from '@twitch-pipeline/infra-components';
import { AWS_FIELD_LIMITS, awsLimitReport, type MockedProgram, runMockedProgram } from '@twitch-pipeline/infra-components/testing';
import { beforeAll, describe, expect, it } from 'vitest';

// AWS checks these lengths and characters only when `pulumi up` sends them: the stack is built
// here with a stack name as long as the other stacks accept and the customer-managed key on.
let program: MockedProgram;

beforeAll(async () => {
  program = await runMockedProgram(
    {
      project: 'twitch-pipeline-bootstrap',
      stack: `prod-${'x'.repeat(MAX_STACK_NAME_LENGTH - 5)}`,
      config: { customerManagedKey: 'true', keyDeletionWindowDays: '30', forceDestroy: 'true' },
    },
    () => import('../index'),
  );
});

describe('bootstrap stack: what AWS accepts', () => {
  it('gives the key alias a length and characters AWS accepts', () => {
    // prepare
    const limits = AWS_FIELD_LIMITS;
    // act
    const { findings, checked } = awsLimitReport(program, limits);
    // assess
    expect(findings).toEqual([]);
    expect(checked).toEqual(['KMS CreateAlias AliasName']);
  });
});
