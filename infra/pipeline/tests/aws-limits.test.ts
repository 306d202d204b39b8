import { MAX_STACK_NAME_LENGTH } from '@twitch-pipeline/infra-components';
import { AWS_FIELD_LIMITS, awsLimitReport, type MockedProgram, runMockedProgram } from '@twitch-pipeline/infra-components/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE_SECRET_KEYS } from '../src/config';
import { PROJECT, ROOT } from './support/prod-stack';

// AWS checks these lengths and characters only when `pulumi up` sends them: the stack is built
// here with the longest stack name the stack-name rules accept, the longest region name, an S3
// bucket name of S3's longest, alerts by e-mail, the example alert rules and the schedule on.
const STACK = `prod-${'x'.repeat(MAX_STACK_NAME_LENGTH - 5)}`;
const REGION = 'ap-southeast-5';
const DATA_STACK = `organization/twitch-pipeline-data/${STACK}`;
const LAKE = 'b'.repeat(63);
const TABLE = `twitch_pipeline_${STACK.replaceAll('-', '_')}_realtime_streams`;
let program: MockedProgram;

beforeAll(async () => {
  program = await runMockedProgram(
    {
      project: PROJECT,
      stack: STACK,
      region: REGION,
      config: {
        dataStack: DATA_STACK,
        scheduleEnabled: 'true',
        maxStreamsPerLanguage: '100',
        timeZone: 'America/Argentina/ComodRivadavia',
        alertEmail: 'data-alerts@twitch-streams-team.io',
        alertRulesFile: `${ROOT}libs/alerts/examples/alert-rules.json`,
        twitchClientId: 'client-id-for-tests',
        twitchClientSecret: 'client-secret-for-tests',
      },
      secretKeys: [...PIPELINE_SECRET_KEYS],
      stackOutputs: {
        [DATA_STACK]: {
          region: REGION,
          lakeBucketName: LAKE,
          lakeBucketArn: `arn:aws:s3:::${LAKE}`,
          realtimeTableName: TABLE,
          realtimeTableArn: `arn:aws:dynamodb:${REGION}:123456789012:table/${TABLE}`,
        },
      },
    },
    () => import('../index'),
  );
});

describe('pipeline stack: what AWS accepts', () => {
  it('gives every name, description, environment and policy a length and characters AWS accepts', () => {
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
      'CloudWatch Logs CreateLogGroup logGroupName',
      'CloudWatch PutDashboard DashboardName',
      'CloudWatch PutMetricAlarm AlarmDescription',
      'CloudWatch PutMetricAlarm AlarmName',
      'EventBridge Scheduler CreateSchedule Description',
      'IAM CreateRole AssumeRolePolicyDocument',
      'IAM CreateRole Description',
      'IAM PutRolePolicy PolicyDocument (all inline policies of a role)',
      'Lambda CreateFunction Description',
      'Lambda CreateFunction Environment.Variables',
      'SNS CreateTopic Name',
      'SSM PutParameter Name',
      'Step Functions CreateStateMachine name',
    ];
    // act
    const { checked } = awsLimitReport(program);
    // assess
    expect(checked).toEqual(expected);
  });
});
