import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SnsAlertPublisher } from '#shared/adapters/sns-alert-publisher.ts';
import type { Alert } from '#shared/domain/types.ts';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:alerts';

function alert(overrides: Partial<Alert> = {}): Alert {
  return {
    storyId: 'story-9',
    level: 2,
    subject: 'IR-PK: envoy recalled',
    email: 'Full alert text.\nSources: Example Wire, Frontier Bulletin',
    sms: 'IR-PK envoy recalled (sev 4)',
    attributes: { eventType: 'envoy_recall', severity: 4, dyad: 'IR-PK' },
    ...overrides,
  };
}

describe('SnsAlertPublisher', () => {
  const sns = mockClient(SNSClient);
  const publisher = new SnsAlertPublisher(TOPIC, new SNSClient({ region: 'eu-west-1' }));

  beforeEach(() => {
    sns.reset();
  });

  afterAll(() => {
    sns.restore();
  });

  it('publishes one text per protocol with the filter attributes and returns the MessageId', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'mid-123' });
    const a = alert();
    await expect(publisher.publish(a)).resolves.toBe('mid-123');
    expect(sns).toReceiveCommandTimes(PublishCommand, 1);
    expect(sns).toReceiveCommandWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject: a.subject,
      MessageStructure: 'json',
      MessageAttributes: {
        eventType: { DataType: 'String', StringValue: 'envoy_recall' },
        severity: { DataType: 'Number', StringValue: '4' },
        dyad: { DataType: 'String', StringValue: 'IR-PK' },
      },
    });
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(JSON.parse(input?.Message ?? 'null')).toEqual({ default: a.email, email: a.email, sms: a.sms });
  });

  it('throws when SNS returns no MessageId', async () => {
    sns.on(PublishCommand).resolves({});
    await expect(publisher.publish(alert())).rejects.toThrow(/no MessageId.*story-9\/2/);
  });

  it('passes SNS errors on', async () => {
    sns.on(PublishCommand).rejects(new Error('AuthorizationError'));
    await expect(publisher.publish(alert())).rejects.toThrow('AuthorizationError');
  });
});
