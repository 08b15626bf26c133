import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AlertPublisher } from '../ports.ts';
import type { Alert } from '../domain/types.ts';

/**
 * Publishes to the alerts topic with one text per protocol (MessageStructure json) and the
 * attributes subscribers' filter policies match on. Severity is a Number attribute so a policy
 * can say {"severity": [{"numeric": [">=", 4]}]}.
 */
export class SnsAlertPublisher implements AlertPublisher {
  constructor(
    private readonly topicArn: string,
    private readonly client: SNSClient = new SNSClient({}),
  ) {}

  async publish(alert: Alert): Promise<string> {
    const out = await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: alert.subject,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: alert.email, email: alert.email, sms: alert.sms }),
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: alert.attributes.eventType },
          severity: { DataType: 'Number', StringValue: String(alert.attributes.severity) },
          dyad: { DataType: 'String', StringValue: alert.attributes.dyad },
          ...(alert.countries?.length ? { countries: { DataType: 'String.Array', StringValue: JSON.stringify(alert.countries) } } : {}),
          ...(alert.digestOf ? { digest: { DataType: 'String', StringValue: 'true' } } : {}),
        },
      }),
    );
    if (!out.MessageId) throw new Error(`SNS returned no MessageId for alert ${alert.storyId}/${alert.level}`);
    return out.MessageId;
  }
}
