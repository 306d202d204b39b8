import { MAX_STACK_NAME_LENGTH } from '@twitch-pipeline/infra-components';
import { AWS_FIELD_LIMITS, awsLimitReport, type MockedProgram } from '@twitch-pipeline/infra-components/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDataProgram } from './support/data-program';

// AWS checks these lengths and characters only when `pulumi up` sends them: the stack is built
// here with the longest stack name the stack-name rules accept and every optional resource on.
let program: MockedProgram;

beforeAll(async () => {
  program = await runDataProgram({
    stack: `prod-${'x'.repeat(MAX_STACK_NAME_LENGTH - 5)}`,
    config: { crawlerSchedule: 'cron(15 3 * * ? *)', forceDestroy: 'true' },
  });
});

describe('data stack: what AWS accepts', () => {
  it('gives every name, description, comment and policy a length and characters AWS accepts', () => {
    // prepare
    const limits = AWS_FIELD_LIMITS;
    // act
    const { findings } = awsLimitReport(program, limits);
    // assess
    expect(findings).toEqual([]);
  });

  it('sets every field it is checked for, so that a renamed input cannot leave one unchecked', () => {
    // prepare
    const expected = [
      'Athena CreateNamedQuery Description',
      'Athena CreateNamedQuery Name',
      'Athena CreateNamedQuery QueryString',
      'Athena CreateWorkGroup Name',
      'CloudWatch Logs CreateLogGroup logGroupName',
      'Glue Column.Comment',
      'Glue Column.Comment (partition key)',
      'Glue CreateCrawler Description',
      'Glue CreateDatabase DatabaseInput.Name',
      'Glue CreateTable TableInput.Description',
      'Glue CreateTable TableInput.Name',
      'IAM CreateRole AssumeRolePolicyDocument',
      'IAM CreateRole Description',
      'IAM PutRolePolicy PolicyDocument (all inline policies of a role)',
    ];
    // act
    const { checked } = awsLimitReport(program);
    // assess
    expect(checked).toEqual(expected);
  });
});
