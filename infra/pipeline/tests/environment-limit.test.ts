import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MockedProgram, runMockedProgram } from '@twitch-pipeline/infra-components/testing';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { LAMBDA_ENVIRONMENT_LIMIT_BYTES } from '../src/functions';

// No Pulumi engine or AWS account exists in tests: the whole program runs under Pulumi's unit-test
// mocks, once per rules file, with the data stack's outputs from a mocked StackReference. The
// mocks give the queues and the topic URLs and ARNs of their real shape, so the consumer's
// environment recorded here has the size the stack's check expects and Lambda would count.
const FOLDER = mkdtempSync(join(tmpdir(), 'alert-rules-'));
/** One channel: the smallest rules file a channel_live rule makes. */
const BASE_CHANNELS = ['gaules'];
/** The consumer's environment with the smallest rules file. */
let baseBytes: number;

/** A rules file of one channel_live rule watching these channels, compact as the stack passes it on. */
function rulesWatching(channels: string[]): string {
  return JSON.stringify({ rules: [{ name: 'favourites live', type: 'channel_live', channels }] });
}

/** The pipeline stack with one channel_live rule watching these channels. */
async function deployWatching(channels: string[]): Promise<MockedProgram> {
  const file = join(FOLDER, `rules-${channels.length}-${channels.join('').length}.json`);
  writeFileSync(file, rulesWatching(channels));
  // A fresh copy of the program for each file: an imported module runs once.
  vi.resetModules();
  return runMockedProgram(
    {
      project: 'twitch-pipeline-pipeline',
      stack: 'prod',
      config: {
        alertEmail: 'data-alerts@twitch-streams-team.io',
        alertRulesFile: file,
        twitchClientId: 'client-id-for-tests',
        twitchClientSecret: 'client-secret-for-tests',
      },
      secretKeys: ['twitchClientId', 'twitchClientSecret'],
      stackOutputs: {
        'organization/twitch-pipeline-data/prod': {
          region: 'sa-east-1',
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

/** What Lambda counts against its limit: every variable's name and value, in bytes. */
function consumerEnvironmentBytes(program: MockedProgram): number {
  const variables: Record<string, string> = program.one('aws:lambda/function:Function', 'stream-consumer').inputs.environment.variables;
  return Object.entries(variables).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
}

/** Channels after the base one adding exactly `count` bytes to the rules JSON: each `,"login"`, its login 1 to 25 characters. */
function channelsAdding(count: number): string[] {
  const channels = Math.ceil(count / 28);
  const letters = count - 3 * channels;
  return Array.from({ length: channels }, (_, index) => String(index).padEnd(Math.floor(letters / channels) + (index < letters % channels ? 1 : 0), 'x'));
}

beforeAll(async () => {
  baseBytes = consumerEnvironmentBytes(await deployWatching(BASE_CHANNELS));
});

describe("pipeline stack: Lambda's 4 KB environment limit", () => {
  it('deploys a consumer whose environment, rules included, takes exactly 4,096 bytes', async () => {
    // prepare
    const channels = [...BASE_CHANNELS, ...channelsAdding(LAMBDA_ENVIRONMENT_LIMIT_BYTES - baseBytes)];
    // act
    const program = await deployWatching(channels);
    // assess
    expect(consumerEnvironmentBytes(program)).toBe(4096);
    expect(program.ofType('aws:lambda/function:Function')).toHaveLength(5);
  });

  it('refuses at preview a rules file one byte over, naming the function, its size and the limit', async () => {
    // prepare
    const channels = [...BASE_CHANNELS, ...channelsAdding(LAMBDA_ENVIRONMENT_LIMIT_BYTES + 1 - baseBytes)];
    // act
    const deployed = deployWatching(channels);
    // assess
    await expect(deployed).rejects.toThrow(
      "the stream-consumer function's environment variables take 4,097 bytes, over Lambda's limit of 4,096 bytes (names and values together): " +
        'pulumi up would fail to deploy twitch-pipeline-prod-stream-consumer',
    );
  });

  it('refuses one channel_live rule watching 300 channels, and says how to shrink the rules', async () => {
    // prepare
    const channels = Array.from({ length: 300 }, (_, index) => `streamer_${String(index).padStart(3, '0')}`);
    const rules = rulesWatching(channels);
    const total = baseBytes - rulesWatching(BASE_CHANNELS).length + rules.length;
    // act
    const deployed = deployWatching(channels);
    // assess
    await expect(deployed).rejects.toThrow(
      `the stream-consumer function's environment variables take ${total.toLocaleString('en-US')} bytes, over Lambda's limit of 4,096 bytes (names and values together): ` +
        'pulumi up would fail to deploy twitch-pipeline-prod-stream-consumer. ' +
        `Its largest variable is ALERT_RULES (${('ALERT_RULES'.length + rules.length).toLocaleString('en-US')} bytes); ` +
        'shrink the rules of alertRulesFile: fewer channels (every login counts, however the rules split them), ' +
        'a viewer_jump rule without channels (it watches every channel) ' +
        'or a category_audience rule instead of a long channel list',
    );
  });
});
