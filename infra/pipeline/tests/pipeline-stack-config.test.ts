import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stackFileKeys } from '@twitch-pipeline/infra-components/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES, PIPELINE_CONFIG_KEYS, PIPELINE_SECRET_KEYS } from '../src/config';
import { PROJECT, program, REGION, runProdStack, topicArn } from './support/prod-stack';

// The stack files' config keys and the prod stack's outputs.
beforeAll(runProdStack);

describe('pipeline stack: config and exports', () => {
  it('documents and sets every plain config key in both stack files', () => {
    // prepare
    const expected = [...PIPELINE_CONFIG_KEYS].sort();
    // act
    const dev = stackFileKeys(fileURLToPath(new URL('../Pulumi.dev.yaml', import.meta.url)), PROJECT);
    const prod = stackFileKeys(fileURLToPath(new URL('../Pulumi.prod.yaml', import.meta.url)), PROJECT);
    // assess
    expect(dev).toEqual(expected);
    expect(prod).toEqual(expected);
  });

  it('tells how to set every secret key in both stack files, and sets none as plain text', () => {
    // prepare
    const files = ['../Pulumi.dev.yaml', '../Pulumi.prod.yaml'].map((file) => fileURLToPath(new URL(file, import.meta.url)));
    // act
    const texts = files.map((file) => readFileSync(file, 'utf8'));
    const keys = files.flatMap((file) => stackFileKeys(file, PROJECT));
    // assess
    for (const key of PIPELINE_SECRET_KEYS) {
      for (const text of texts) expect(text).toMatch(new RegExp(`^#\\s+pulumi config set --secret ${key}\\s`, 'm'));
      expect(keys).not.toContain(key);
    }
  });

  it('exports the state machine, queues, topic, secret and dashboard', () => {
    // prepare
    const stateMachine = program.one('aws:sfn/stateMachine:StateMachine');
    // act
    const { outputs } = program;
    // assess
    expect(outputs).toMatchObject({
      stateMachineArn: stateMachine.state.arn,
      alertsTopicArn: topicArn(),
      dashboardName: `twitch-pipeline-prod-${REGION}`,
      eventsQueueUrl: program.one('aws:sqs/queue:Queue', 'events').state.url,
    });
    expect(Object.keys(outputs.functionNamesByStep as object).sort()).toEqual([...FUNCTION_NAMES].sort());
  });
});
