import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { Article } from '#shared/domain/types.ts';

const ddb = mockClient(DynamoDBDocumentClient);
let handler: (event: SQSEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

function job(id: string, title: string, hour: number) {
  const publishedAt = new Date(Date.parse('2024-01-16T18:00:00Z') + hour * 3_600_000).toISOString();
  const article: Article = {
    articleId: id, url: `https://news.example/${id}`, title, summary: '', publishedAt, publishedFromFeed: true, feedId: 'f', outlet: `Outlet ${id}`, language: 'en', fetchedAt: publishedAt, storyId: null,
    classification: { relevant: true, types: ['strike'], primary: 'strike', severity: 5, confidence: 0.9, actors: [{ country: 'IR', side: 'source' } as never, { country: 'PK', side: 'target' } as never], dates: [], evidence: title, dyad: 'IR-PK' },
  };
  return { article, alertable: true };
}
const message = (id: string, body: unknown): SQSRecord => ({ messageId: id, body: typeof body === 'string' ? body : JSON.stringify(body) }) as SQSRecord;

describe('story handler', () => {
  beforeAll(async () => {
    vi.stubEnv('TABLE_NAME', 'events');
    ({ handler } = await import('../../functions/story/handler.ts'));
  });

  beforeEach(() => {
    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});
    ddb.on(BatchGetCommand).resolves({ Responses: { events: [] } });
  });

  it('places a batch of one dyad’s articles in one story, then stores the articles', async () => {
    const out = await handler({ Records: [message('m1', job('a1', 'Iran strikes militant bases in Pakistan', 0)), message('m2', job('a2', 'Iranian missiles hit camps in Panjgur', 2))] });
    expect(out.batchItemFailures).toEqual([]);
    const stories = ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item as Record<string, unknown>).filter((i) => i.kind === 'story');
    expect(stories).toHaveLength(1);
    expect(stories[0]).toMatchObject({ dyad: 'IR-PK', sourceCount: 2, alertDue: true });
    expect(ddb).toReceiveCommandWith(PutCommand, { Item: expect.objectContaining({ pk: 'ART#a2', kind: 'article', storyId: stories[0]!.storyId }) });
  });

  it('reports a malformed message and every one after it failed, and places those before it', async () => {
    const out = await handler({ Records: [message('ok', job('a1', 'Iran strikes militant bases in Pakistan', 0)), message('bad', { article: { articleId: 'x' }, alertable: true }), message('after', job('a3', 'More strikes', 1))] });
    expect(out.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['bad', 'after']);
    expect(ddb).toReceiveCommandWith(PutCommand, { Item: expect.objectContaining({ pk: 'ART#a1' }) });
    expect(ddb).not.toReceiveCommandWith(PutCommand, { Item: expect.objectContaining({ pk: 'ART#a3' }) });
  });

  it('reports the whole batch failed when the table fails, so it is retried in order', async () => {
    ddb.on(QueryCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    const out = await handler({ Records: [message('m1', job('a1', 'Iran strikes', 0)), message('m2', job('a2', 'Iran strikes again', 1))] });
    expect(out.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['m1', 'm2']);
  });
});
