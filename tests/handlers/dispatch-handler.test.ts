import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import registry from '../../config/feeds.json' with { type: 'json' };

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
let handler: () => Promise<{ due: number; skipped: number; stale: string[]; reasons?: Record<string, number>; surging?: string[] }>;
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
    ddb.on(QueryCommand).resolves({ Items: [] });
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
    expect(result).toEqual({ due: registry.feeds.length - 1, skipped: 1, stale: [], reasons: { scheduled: registry.feeds.length - 1 }, surging: [] });
    const sent = sqs.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries ?? []);
    expect(sent).toHaveLength(registry.feeds.length - 1);
    expect(sqs).toReceiveCommandWith(SendMessageBatchCommand, { QueueUrl: QUEUE });
    const ids = sent.map((e) => JSON.parse(e.MessageBody!).feed.id);
    expect(ids).not.toContain(first!.id);
    expect(ids).toContain(second!.id);
    expect(sqs.commandCalls(SendMessageBatchCommand).every((c) => (c.args[0].input.Entries ?? []).length <= 10)).toBe(true);
  });

  it('polls a feed that carried a surging dyad before its time, found by querying the day index', async () => {
    const [first] = registry.feeds;
    const now = Date.now();
    const future = new Date(now + 3_600_000).toISOString();
    const recent = new Date(now - 3_600_000).toISOString();
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        events: registry.feeds.map((f) => ({ pk: `FEED#${f.id}`, sk: 'STATE', feedId: f.id, lastStatus: 'ok', consecutiveFailures: 0, nextPollAt: future, ...(f.id === first!.id ? { dyads: { 'IR-PK': recent } } : {}) })),
      },
    });
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'STORY#s1', sk: 'STORY', kind: 'story', storyId: 's1', dyad: 'IR-PK', severity: 5, alertLevel: 1, firstSeen: recent, lastSeen: recent, day: recent.slice(0, 10), publishedAt: recent, types: ['strike'], primaryType: 'strike', articles: [], tokens: [], actors: [], eventDates: [], sourceCount: 1, version: 1 }] });
    const result = await handler();
    expect(result.surging).toEqual(['IR-PK']);
    expect(result.reasons).toEqual({ surge: 1 });
    const ids = sqs.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries ?? []).map((e) => JSON.parse(e.MessageBody!).feed.id);
    expect(ids).toEqual([first!.id]);
    // the surge is found by queries of the day index, never a Scan
    expect(ddb.commandCalls(QueryCommand).every((c) => c.args[0].input.IndexName === 'byDay')).toBe(true);
    expect(ddb.commandCalls(QueryCommand).length).toBeGreaterThan(0);
  });
});
