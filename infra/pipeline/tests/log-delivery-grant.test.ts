import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type MockedProgram, runMockedProgram } from '@twitch-pipeline/infra-components/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE_SECRET_KEYS } from '../src/config';

// No Pulumi engine or AWS account exists in tests: the program runs under Pulumi's unit-test mocks.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let program: MockedProgram;

beforeAll(async () => {
  program = await runMockedProgram(
    {
      project: 'twitch-pipeline-pipeline',
      stack: 'prod',
      config: {
        dataStack: 'organization/twitch-pipeline-data/prod',
        alertEmail: 'data-alerts@twitch-streams-team.io',
        alertRulesFile: `${ROOT}libs/alerts/examples/alert-rules.json`,
        twitchClientId: 'client-id-for-tests',
        twitchClientSecret: 'client-secret-for-tests',
      },
      secretKeys: [...PIPELINE_SECRET_KEYS],
      stackOutputs: {
        'organization/twitch-pipeline-data/prod': {
          region: 'sa-east-1',
          lakeBucketName: 'twitch-lake',
          lakeBucketArn: 'arn:aws:s3:::twitch-lake',
          realtimeTableName: 'twitch_pipeline_prod_realtime_streams',
          realtimeTableArn: 'arn:aws:dynamodb:sa-east-1:123456789012:table/twitch_pipeline_prod_realtime_streams',
        },
      },
    },
    () => import('../index'),
  );
});

describe('pipeline stack: the log-delivery grant AWS makes for the state machine', () => {
  it('is left to AWS, and the teardown guide finds and removes it by the log group the stack creates', () => {
    // prepare
    const logGroup = program.ofType('aws:cloudwatch/logGroup:LogGroup').find((group) => group.name === 'state-machine')!.inputs.name as string;
    const guide = readFileSync(`${ROOT}docs/deploy.md`, 'utf8');
    const start = guide.indexOf('## Tearing down');
    const teardown = guide.slice(start, guide.indexOf('\n## ', start + 1));

    // act
    const searched = /aws logs describe-resource-policies[^\n]*\n?[^\n]*contains\(policyDocument, '([^']+)'\)/.exec(teardown)?.[1];
    const deletes = /aws logs delete-resource-policy --policy-name (\S+)/.exec(teardown)?.[1];
    const owned = program.ofType('aws:cloudwatch/logResourcePolicy:LogResourcePolicy');

    // assess
    expect(logGroup).toBe('/aws/vendedlogs/states/twitch-pipeline-prod-pipeline');
    expect(searched).toBe(logGroup);
    expect(deletes).toBe('AWSLogDeliveryWrite20150319');
    expect(teardown).toContain('aws logs put-resource-policy --policy-name AWSLogDeliveryWrite20150319');
    // A policy of the stack's own would go with the stack: then the guide's section says what no longer stays.
    expect(owned).toEqual([]);
  });
});
