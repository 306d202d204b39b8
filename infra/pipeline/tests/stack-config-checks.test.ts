import { MAX_STACK_NAME_LENGTH } from '@twitch-pipeline/infra-components';
import { type MockedProgram, runMockedProgram } from '@twitch-pipeline/infra-components/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// No Pulumi engine or AWS account exists in tests: the whole program runs under Pulumi's mocks,
// once per stack name or setting, with the data stack's outputs from a mocked StackReference;
// what it refuses there `pulumi preview` refuses.
const PROJECT = 'twitch-pipeline-pipeline';

interface Deployment {
  stack?: string;
  config?: Record<string, string>;
  /** The region the data stack reports; the pipeline's own is sa-east-1. */
  dataRegion?: string;
}

function deploy({ stack = 'prod', config = {}, dataRegion = 'sa-east-1' }: Deployment): Promise<MockedProgram> {
  return runMockedProgram(
    {
      project: PROJECT,
      stack,
      region: 'sa-east-1',
      config: {
        alertEmail: 'data-alerts@twitch-streams-team.io',
        twitchClientId: 'client-id-for-tests',
        twitchClientSecret: 'client-secret-for-tests',
        ...config,
      },
      secretKeys: ['twitchClientId', 'twitchClientSecret'],
      stackOutputs: {
        [`organization/twitch-pipeline-data/${stack}`]: {
          region: dataRegion,
          lakeBucketName: 'lake-a1b2c3d',
          lakeBucketArn: 'arn:aws:s3:::lake-a1b2c3d',
          realtimeTableName: 'twitch_pipeline_prod_realtime_streams',
          realtimeTableArn: 'arn:aws:dynamodb:sa-east-1:123456789012:table/twitch_pipeline_prod_realtime_streams',
        },
      },
    },
    () => import('../index'),
  );
}

beforeEach(() => {
  // A fresh copy of the program for each run: an imported module runs once.
  vi.resetModules();
});

describe('pipeline stack: stack names', () => {
  it.each(['Prod', 'prod.eu', 'prod_eu', `p${'x'.repeat(MAX_STACK_NAME_LENGTH)}`])('refuses the stack name %s at preview', async (stack) => {
    // act
    const deployed = deploy({ stack });
    // assess
    await expect(deployed).rejects.toThrow(`stack name "${stack}"`);
  });

  it('fits the longest accepted stack name into every function, schedule, queue and state machine name', async () => {
    // prepare
    const stack = `prod-${'x'.repeat(MAX_STACK_NAME_LENGTH - 5)}`;
    // act
    const program = await deploy({ stack });
    // assess: Lambda and EventBridge Scheduler take 64 characters, SQS and Step Functions 80
    const names = (type: string) => program.ofType(type).map((resource) => String(resource.inputs.name));
    expect(names('aws:lambda/function:Function')).toHaveLength(5);
    for (const name of [...names('aws:lambda/function:Function'), ...names('aws:scheduler/schedule:Schedule')]) {
      expect(name.length, name).toBeLessThanOrEqual(64);
    }
    for (const name of [...names('aws:sqs/queue:Queue'), ...names('aws:sfn/stateMachine:StateMachine')]) {
      expect(name.length, name).toBeLessThanOrEqual(80);
    }
  });
});

describe('pipeline stack: region', () => {
  it("refuses at preview a data stack in another region than the pipeline's", async () => {
    // act
    const deployed = deploy({ dataRegion: 'us-east-1' });
    // assess
    await expect(deployed).rejects.toThrow(
      'the data stack organization/twitch-pipeline-data/prod is in us-east-1 and this pipeline stack in sa-east-1: both must be in one region',
    );
  });
});

describe('pipeline stack: settings the functions or AWS would refuse only later', () => {
  it.each([
    ['languages', 'klingon,xx1', `${PROJECT}:languages: must be a comma list of ISO 639-1 codes`],
    ['timeZone', 'Mars/Olympus', `${PROJECT}:timeZone: must be an IANA time zone (got "Mars/Olympus")`],
    ['maxStreamsPerLanguage', '0', `${PROJECT}:maxStreamsPerLanguage: must be at least 1 (got "0")`],
    ['maxStreamsPerLanguage', '100.5', `${PROJECT}:maxStreamsPerLanguage: must be a positive whole number`],
    ['realtimeTtlHours', '9000', `${PROJECT}:realtimeTtlHours: must be at most 8784`],
    ['intervalMinutes', '7.5', `${PROJECT}:intervalMinutes must be a whole number (got "7.5")`],
    // A rate schedule fires at the time of day the stack was deployed, off the extract's slots.
    ['intervalMinutes', '90', 'intervalMinutes=90 cannot be scheduled on the snapshot times the extract names'],
    ['extractMemoryMb', '1536.5', `${PROJECT}:extractMemoryMb must be a whole number (got "1536.5")`],
    ['consumerBatchSize', '2.5', `${PROJECT}:consumerBatchSize must be a whole number`],
    ['logRetentionDays', '10', `${PROJECT}:logRetentionDays is 10 days, which CloudWatch Logs refuses`],
    // An alarm's period times its evaluation periods may not pass 7 days (PutMetricAlarm).
    ['errorRateWindowMinutes', '10081', `${PROJECT}:errorRateWindowMinutes must be at most 10080 (got 10081)`],
  ])('refuses %s=%s at preview, naming the key', async (key, value, message) => {
    // act
    const deployed = deploy({ config: { [key]: value } });
    // assess
    await expect(deployed).rejects.toThrow(message);
  });

  it('hands the functions settings their own rules accept', async () => {
    // act
    const program = await deploy({ config: { languages: 'pt,en', maxStreamsPerLanguage: '100', timeZone: 'Europe/Lisbon', intervalMinutes: '60' } });
    // assess
    const variables = program.one('aws:lambda/function:Function', 'extract').inputs.environment.variables;
    expect(variables).toMatchObject({
      PIPELINE_LANGUAGES: 'pt,en',
      PIPELINE_MAX_STREAMS_PER_LANGUAGE: '100',
      PIPELINE_TIMEZONE: 'Europe/Lisbon',
      PIPELINE_INTERVAL_MINUTES: '60',
    });
  });
});
