import { runMockedProgram } from '@twitch-pipeline/infra-components/testing';
import { describe, expect, it } from 'vitest';
import { LOG_LEVELS, type LogLevel } from '../src/config';

// No Pulumi engine or AWS account exists in tests: the functions are declared under Pulumi's
// unit-test mocks, with placeholder ARNs and names for what the other resources would give them.
async function functionsAt(logLevel: LogLevel) {
  const program = await runMockedProgram(
    {
      project: 'twitch-pipeline-pipeline',
      stack: 'dev',
      config: { logLevel, twitchClientId: 'id-for-tests', twitchClientSecret: 'secret-for-tests' },
      secretKeys: ['twitchClientId', 'twitchClientSecret'],
    },
    async () => {
      const { loadPipelineConfig } = await import('../src/config');
      const { createFunctions } = await import('../src/functions');
      const arn = 'arn:aws:s3:::placeholder';
      createFunctions(
        loadPipelineConfig(),
        { lakeBucketArn: arn, queueArn: arn, deadLetterQueueArn: arn, realtimeTableArn: arn, twitchSecretArn: arn, alertsTopicArn: arn },
        { lakeBucketName: 'lake', queueUrl: 'queue', deadLetterQueueUrl: 'dlq', realtimeTableName: 'table', twitchSecretArn: arn, alertsTopicArn: arn },
      );
      return {};
    },
  );
  return program.ofType('aws:lambda/function:Function');
}

describe('pipeline stack: log level', () => {
  it.each(LOG_LEVELS)('at logLevel %s, Lambda lets the level-less metric lines through and the logger keeps to the level', async (logLevel) => {
    // act
    const functions = await functionsAt(logLevel);
    // assess: Lambda gives a line without a level INFO, and every EMF metric line is one
    expect(functions).toHaveLength(5);
    for (const { inputs } of functions) {
      expect(inputs.loggingConfig.applicationLogLevel).toBe(logLevel === 'DEBUG' ? 'DEBUG' : 'INFO');
      expect(inputs.environment.variables.POWERTOOLS_LOG_LEVEL).toBe(logLevel);
    }
  });
});
