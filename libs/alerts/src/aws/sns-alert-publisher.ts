import type { SNSClient } from '@aws-sdk/client-sns';
import type { AlertRecord } from '@twitch-pipeline/schemas';
import { AWS_CLIENT_OPTIONS } from '@twitch-pipeline/storage';
import type { AlertPublisher } from '../ports';

/** The SDK loads on first use, not on import: local commands import this package and never call AWS. */
const snsSdk = () => import('@aws-sdk/client-sns');

export interface SnsAlertPublisherOptions {
  /** Default: a client of the function's own region, made at the first publish. */
  client?: SNSClient;
  /** ALERTS_TOPIC_ARN. */
  topicArn: string;
}

/** SNS subjects are at most 100 characters of printable ASCII. */
function subjectOf(alert: AlertRecord): string {
  const text = `[twitch-pipeline] ${alert.message}`.replace(/[^\x20-\x7e]/g, '?');
  return text.length <= 100 ? text : `${text.slice(0, 97)}...`;
}

/**
 * Publishes alerts to an SNS topic: the summary as subject, the summary and the full record as
 * body (readable in e-mail, parseable by code), and `rule` / `type` as message attributes for
 * subscription filter policies. Used only behind a ledger that accepted the key.
 *
 * @example
 * const publisher = new SnsAlertPublisher({ client: new SNSClient({}), topicArn: config.aws.alertsTopicArn });
 * await publisher.publish(alert);
 */
export class SnsAlertPublisher implements AlertPublisher {
  private client: SNSClient | undefined;

  constructor(private readonly options: SnsAlertPublisherOptions) {
    this.client = options.client;
  }

  async publish(alert: AlertRecord): Promise<void> {
    const { PublishCommand, SNSClient } = await snsSdk();
    this.client ??= new SNSClient(AWS_CLIENT_OPTIONS);
    await this.client.send(
      new PublishCommand({
        TopicArn: this.options.topicArn,
        Subject: subjectOf(alert),
        Message: `${alert.message}\n\n${JSON.stringify(alert, null, 2)}`,
        MessageAttributes: {
          rule: { DataType: 'String', StringValue: alert.rule },
          type: { DataType: 'String', StringValue: alert.type },
        },
      }),
    );
  }
}
