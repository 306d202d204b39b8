import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AlertRecord } from '@twitch-pipeline/schemas';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SnsAlertPublisher } from '../src/index';

// No SNS emulator runs here: the SNS client is replaced by aws-sdk-client-mock.
const sns = mockClient(SNSClient);

describe('SnsAlertPublisher', () => {
  afterEach(() => {
    sns.reset();
  });

  it('publishes the summary as subject, the record as body and rule/type as attributes', async () => {
    // prepare
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const alert: AlertRecord = {
      rule: 'jc-10k',
      type: 'category_audience',
      key: 'category_audience|jc-10k|just chatting|2026-11-29T21:30:00.000Z',
      nome_categoria: 'Just Chatting',
      espectadores: 10_250,
      anterior: 9_800,
      timestamp: '2026-11-29T21:30:00.000Z',
      message: `Just Chatting reached 10,250 live viewers — ${'x'.repeat(120)}`,
    };
    const publisher = new SnsAlertPublisher({ client: new SNSClient({}), topicArn: 'arn:aws:sns:us-east-1:123456789012:alerts' });

    // act
    await publisher.publish(alert);

    // assess
    const [call] = sns.commandCalls(PublishCommand);
    const input = call!.args[0].input;
    expect(input.TopicArn).toBe('arn:aws:sns:us-east-1:123456789012:alerts');
    expect(input.Subject).toHaveLength(100);
    expect(input.Subject).toMatch(/^\[twitch-pipeline\] Just Chatting reached 10,250 live viewers \? x+\.\.\.$/);
    expect(JSON.parse(input.Message!.split('\n\n')[1]!)).toEqual(alert);
    expect(input.MessageAttributes).toEqual({
      rule: { DataType: 'String', StringValue: 'jc-10k' },
      type: { DataType: 'String', StringValue: 'category_audience' },
    });
  });

  it('lets an SNS failure surface, so the caller can release the key and retry', async () => {
    // prepare
    sns.on(PublishCommand).rejects(new Error('Throttling'));
    const publisher = new SnsAlertPublisher({ client: new SNSClient({}), topicArn: 'arn:aws:sns:us-east-1:123456789012:alerts' });

    // act
    const outcome = publisher.publish({
      rule: 'live',
      type: 'channel_live',
      key: 'channel_live|live|s1',
      espectadores: 1,
      timestamp: '2026-11-29T21:30:00.000Z',
      message: 'gaules is live',
    });

    // assess
    await expect(outcome).rejects.toThrow('Throttling');
  });
});
