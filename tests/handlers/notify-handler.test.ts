import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { Story } from '#shared/domain/types.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);
let handler: (event: DynamoDBStreamEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:alerts';

function story(level: number, overrides: Partial<Story> = {}): Story {
  return {
    storyId: 'st-1', dyad: 'IR-PK', primaryType: 'strike', types: ['strike'], severity: 5, confidence: 0.9,
    actors: [{ country: 'IR' }, { country: 'PK' }], eventDates: [], headline: 'Iran strikes militant bases inside Pakistan',
    evidence: 'Iran strikes militant bases inside Pakistan', firstSeen: '2024-01-16T20:00:00.000Z', lastSeen: '2024-01-16T20:00:00.000Z',
    sourceCount: 1, articles: [{ articleId: 'a1', url: 'https://indus-daily.example/a1', title: 't', outlet: 'Indus Daily', publishedAt: '2024-01-16T20:00:00.000Z' }],
    tokens: [], alertLevel: level, version: level, ...overrides,
  };
}

function record(seq: string, item: Record<string, unknown>): DynamoDBRecord {
  return {
    eventName: 'MODIFY',
    dynamodb: { SequenceNumber: seq, NewImage: marshall(item, { removeUndefinedValues: true }) as never },
  };
}

const storyRecord = (seq: string, s: Story) => record(seq, { pk: `STORY#${s.storyId}`, sk: 'STORY', kind: 'story', ...s });

describe('notify handler', () => {
  beforeAll(async () => {
    vi.stubEnv('TABLE_NAME', 'events');
    vi.stubEnv('ALERT_TOPIC_ARN', TOPIC);
    ({ handler } = await import('../../functions/notify/handler.ts'));
  });

  beforeEach(() => {
    ddb.reset();
    sns.reset();
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(UpdateCommand).resolves({});
    // Not merged into another story.
    ddb.on(GetCommand).resolves({ Item: { kind: 'story' } });
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });

  it('claims the alert, publishes it to the topic with filter attributes, and marks it sent', async () => {
    ddb.on(PutCommand).resolves({});
    const out = await handler({ Records: [storyRecord('100', story(1))] });
    expect(out.batchItemFailures).toEqual([]);
    expect(ddb).toReceiveCommandWith(PutCommand, { Item: expect.objectContaining({ pk: 'ALERT#st-1', sk: '0001', status: 'claimed' }) });
    expect(sns).toReceiveCommandTimes(PublishCommand, 1);
    expect(sns).toReceiveCommandWith(PublishCommand, {
      TopicArn: TOPIC,
      MessageStructure: 'json',
      MessageAttributes: {
        eventType: { DataType: 'String', StringValue: 'strike' },
        severity: { DataType: 'Number', StringValue: '5' },
        dyad: { DataType: 'String', StringValue: 'IR-PK' },
        countries: { DataType: 'String.Array', StringValue: '["IR","PK"]' },
      },
    });
    expect(ddb).toReceiveCommandWith(UpdateCommand, { Key: { pk: 'ALERT#st-1', sk: '0001' }, ExpressionAttributeValues: expect.objectContaining({ ':sent': 'sent', ':m': 'm-1' }) });
  });

  it('sends each alert once when the stream delivers the same record twice', async () => {
    ddb.on(PutCommand).resolvesOnce({}).rejects(new ConditionalCheckFailedException({ message: 'claimed', $metadata: {} }));
    const out = await handler({ Records: [storyRecord('100', story(1)), storyRecord('100', story(1))] });
    expect(out.batchItemFailures).toEqual([]);
    expect(sns).toReceiveCommandTimes(PublishCommand, 1);
  });

  it('ignores articles, feed states and unconfirmed stories', async () => {
    ddb.on(PutCommand).resolves({});
    await handler({
      Records: [
        record('1', { pk: 'ART#a1', sk: 'ART', kind: 'article', articleId: 'a1' }),
        record('2', { pk: 'FEED#f', sk: 'STATE', kind: 'feed', feedId: 'f' }),
        storyRecord('3', story(0)),
      ],
    });
    expect(sns).toReceiveCommandTimes(PublishCommand, 0);
  });

  it('reports the failed record and releases its claim when SNS fails', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(DeleteCommand).resolves({});
    sns.on(PublishCommand).rejects(new Error('Throttling'));
    const out = await handler({ Records: [storyRecord('7', story(1)), storyRecord('8', story(2, { storyId: 'st-2' }))] });
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: '7' }]);
    expect(ddb).toReceiveCommandWith(DeleteCommand, { Key: { pk: 'ALERT#st-1', sk: '0001' } });
    expect(sns).toReceiveCommandTimes(PublishCommand, 1);
  });

  it('sends nothing for a stream record of a story merged into another since', async () => {
    ddb.on(GetCommand).resolves({ Item: { kind: 'merged-story', mergedInto: 'st-0' } });
    const out = await handler({ Records: [storyRecord('1', story(1))] });
    expect(out.batchItemFailures).toEqual([]);
    expect(sns).not.toReceiveCommand(PublishCommand);
    expect(ddb).not.toReceiveCommand(PutCommand);
  });

  it('sends one alert per level told when stream records arrive out of order and repeated', async () => {
    // A table in miniature: claims are stored, and the history query reads them back.
    const claims = new Map<string, Record<string, unknown>>();
    ddb.on(PutCommand).callsFake((input: { Item: Record<string, unknown> & { pk: string; sk: string } }) => {
      const key = `${input.Item.pk}/${input.Item.sk}`;
      if (claims.has(key)) throw new ConditionalCheckFailedException({ message: 'claimed', $metadata: {} });
      claims.set(key, input.Item);
      return {};
    });
    ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: { ':pk': string } }) => ({ Items: [...claims.values()].filter((c) => c.pk === input.ExpressionAttributeValues[':pk']) }));
    const protest = story(1, { primaryType: 'protest', types: ['protest'], severity: 4 });
    const escalated = story(2, { severity: 5, types: ['protest', 'strike'] });
    // The escalated image first: its alert already tells everything the first image would.
    const out = await handler({ Records: [storyRecord('3', escalated), storyRecord('1', protest), storyRecord('3', escalated), storyRecord('1', protest)] });
    expect(out.batchItemFailures).toEqual([]);
    expect(sns).toReceiveCommandTimes(PublishCommand, 1);
    // In order, the escalation is a second alert at the next level; repeats send nothing.
    claims.clear();
    sns.resetHistory();
    await handler({ Records: [storyRecord('1', protest), storyRecord('3', escalated), storyRecord('1', protest), storyRecord('3', escalated)] });
    expect(sns).toReceiveCommandTimes(PublishCommand, 2);
    expect([...claims.keys()].sort()).toEqual(['ALERT#st-1/0001', 'ALERT#st-1/0002']);
  });
});
