import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import registry from '../../config/feeds.json' with { type: 'json' };

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
let handler: () => Promise<{ due: number; skipped: number; stale: string[] }>;
const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/feed-jobs';

describe('dispatch handler', () => {
  beforeAll(async () => {
    vi.stubEnv('TABLE_NAME', 'events');
    vi.stubEnv('FEED_QUEUE_URL', QUEUE);
    ({ handler } = await import('../../functions/dispatch/handler.ts'));
  });
  beforeEach(() => {
    ddb.reset();
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  });

  it('sends one job per due feed, ten per batch, and skips feeds polled recently', async () => {
    const [first, second] = registry.feeds;
    const future = new Date(Date.now() + 3_600_000).toISOString();
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        events: [
          { pk: `FEED#${first!.id}`, sk: 'STATE', feedId: first!.id, lastStatus: 'ok', consecutiveFailures: 0, nextPollAt: future },
          { pk: `FEED#${second!.id}`, sk: 'STATE', feedId: second!.id, lastStatus: 'ok', consecutiveFailures: 0, nextPollAt: '2020-01-01T00:00:00.000Z' },
        ],
      },
    });
    const result = await handler();
    expect(result).toEqual({ due: registry.feeds.length - 1, skipped: 1, stale: [] });
    const sent = sqs.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries ?? []);
    expect(sent).toHaveLength(registry.feeds.length - 1);
    expect(sqs).toReceiveCommandWith(SendMessageBatchCommand, { QueueUrl: QUEUE });
    const ids = sent.map((e) => JSON.parse(e.MessageBody!).feed.id);
    expect(ids).not.toContain(first!.id);
    expect(ids).toContain(second!.id);
    expect(sqs.commandCalls(SendMessageBatchCommand).every((c) => (c.args[0].input.Entries ?? []).length <= 10)).toBe(true);
  });
});
