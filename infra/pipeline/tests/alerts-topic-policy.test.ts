import { type MockedProgram, runMockedProgram, statementsOf } from '@twitch-pipeline/infra-components/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES } from '../src/config';

const ACCOUNT = '123456789012';
const REGION = 'sa-east-1';
let program: MockedProgram;

// No Pulumi engine or AWS account exists in tests: the topic and the alarms run under Pulumi's unit-test mocks.
beforeAll(async () => {
  program = await runMockedProgram(
    {
      project: 'twitch-pipeline-pipeline',
      stack: 'prod',
      config: { alertEmail: 'oncall@twitch-streams-team.io', twitchClientId: 'id-for-tests', twitchClientSecret: 'secret-for-tests' },
      secretKeys: ['twitchClientId', 'twitchClientSecret'],
      accountId: ACCOUNT,
      region: REGION,
    },
    async () => {
      const { loadPipelineConfig } = await import('../src/config');
      const { createAlarms, createAlertsTopic } = await import('../src/alarms');
      const config = loadPipelineConfig();
      const topic = createAlertsTopic(config);
      const functionNames = Object.fromEntries(FUNCTION_NAMES.map((fn) => [fn, `${config.prefix}-${fn}`])) as Record<(typeof FUNCTION_NAMES)[number], string>;
      createAlarms(config, topic.arn, { functionNames, deadLetterQueueName: `${config.prefix}-events-dlq`, stateMachineArn: 'arn:aws:states:sa-east-1:123456789012:stateMachine:p' });
      return {};
    },
  );
});

function wildcardMatches(pattern: string, value: string): boolean {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(value);
}

describe('pipeline stack: who may use the alerts topic', () => {
  it("replaces SNS's default policy, which lets every principal of the account subscribe, publish, change or delete the topic", () => {
    // prepare
    const topic = program.one('aws:sns/topic:Topic');
    // act
    const policy = program.one('aws:sns/topicPolicy:TopicPolicy');
    const statements = statementsOf(policy.inputs.policy);
    // assess
    expect(policy.inputs.arn).toBe(topic.state.arn);
    const toAnyone = statements.filter(
      (statement) => statement.Effect === 'Allow' && (statement.Principal === '*' || [(statement.Principal as { AWS?: unknown })?.AWS].flat().includes('*')),
    );
    expect(toAnyone).toEqual([]);
  });

  it("lets CloudWatch publish for this stack's alarms only, each of which matches", () => {
    // prepare
    const alarms = program.ofType('aws:cloudwatch/metricAlarm:MetricAlarm');
    // act
    const statements = statementsOf(program.one('aws:sns/topicPolicy:TopicPolicy').inputs.policy);
    const fromAlarms = statements.filter(
      (statement) => statement.Effect === 'Allow' && (statement.Principal as { Service?: string } | undefined)?.Service === 'cloudwatch.amazonaws.com',
    );
    // assess
    expect(fromAlarms).toHaveLength(1);
    const [statement] = fromAlarms;
    expect(statement!.Action).toBe('sns:Publish');
    expect(statement!.Condition?.StringEquals?.['aws:SourceAccount']).toBe(ACCOUNT);
    expect(statement!.Condition?.ArnLike).toBeUndefined();
    const sourceArns = [statement!.Condition?.ArnEquals?.['aws:SourceArn']].flat().map(String);
    expect(alarms.length).toBeGreaterThan(0);
    expect(sourceArns.sort()).toEqual(alarms.map((alarm) => `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${alarm.inputs.name}`).sort());
  });

  it("admits no alarm of another stack whose name starts with this one's, such as prod-eu's", () => {
    // prepare
    const statement = statementsOf(program.one('aws:sns/topicPolicy:TopicPolicy').inputs.policy).find((entry) => entry.Sid === 'AlarmsNotify');
    // act: every ARN condition, as equality or as a pattern
    const conditions = statement!.Condition ?? {};
    const sourceArns = [conditions.ArnEquals?.['aws:SourceArn'], conditions.ArnLike?.['aws:SourceArn']].flat().filter(Boolean).map(String);
    // assess
    expect(sourceArns.length).toBeGreaterThan(0);
    const otherStacks = program.ofType('aws:cloudwatch/metricAlarm:MetricAlarm').map((alarm) => `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${String(alarm.inputs.name).replace('twitch-pipeline-prod-', 'twitch-pipeline-prod-eu-')}`);
    for (const arn of otherStacks) expect(sourceArns.some((pattern) => wildcardMatches(pattern, arn)), arn).toBe(false);
  });
});
