import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
let handler: (event: SQSEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
let server: FeedServer;
const ROOT = resolve(import.meta.dirname, '../..');

function message(id: string, body: unknown): SQSRecord {
  return { messageId: id, body: typeof body === 'string' ? body : JSON.stringify(body) } as SQSRecord;
}

const feed = (id: string, path: string) => ({ feed: { id, url: `${server.url}${path}`, outlet: 'Indus Daily', language: 'en' } });

describe('ingest handler', () => {
  beforeAll(async () => {
    server = await startFeedServer({
      '/indus.xml': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(readFileSync(join(ROOT, 'tests/fixtures/feeds/indus-daily.xml')));
      },
    });
    vi.stubEnv('TABLE_NAME', 'events');
    // The feed server listens on 127.0.0.1, which the fetcher refuses unless this is set.
    vi.stubEnv('ALLOW_PRIVATE_NETWORKS', 'true');
    vi.stubEnv('STORY_QUEUE_URL', 'https://sqs.eu-west-1.amazonaws.com/123456789012/story-jobs.fifo');
    ({ handler } = await import('../../functions/ingest/handler.ts'));
  });
  afterAll(async () => server.close());

  beforeEach(() => {
    ddb.reset();
    ddb.on(BatchGetCommand).resolves({ Responses: { events: [] } });
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(GetCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  });

  it('ingests each feed job and reports no failure', async () => {
    const out = await handler({ Records: [message('m1', feed('indus', '/indus.xml'))] });
    expect(out.batchItemFailures).toEqual([]);
    expect(ddb).toReceiveCommandWith(PutCommand, { Item: expect.objectContaining({ pk: 'FEED#indus', lastStatus: 'ok' }) });
    // The relevant article goes to the story queue in its dyad's group; ingest writes no story.
    expect(sqs).toReceiveCommandWith(SendMessageBatchCommand, { Entries: [expect.objectContaining({ MessageGroupId: 'IR-PK', MessageBody: expect.stringContaining('"primary":"envoy_return"') })] });
    expect(ddb).not.toReceiveCommandWith(PutCommand, { Item: expect.objectContaining({ kind: 'story' }) });
  });

  it('fails the feed job when the story queue refuses its articles, so the feed is read again', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });
    const out = await handler({ Records: [message('m1', feed('indus', '/indus.xml'))] });
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(ddb).not.toReceiveCommandWith(PutCommand, { Item: expect.objectContaining({ pk: 'FEED#indus' }) });
  });

  it('records an unreachable feed in its state instead of retrying the message', async () => {
    const out = await handler({ Records: [message('m1', feed('gone', '/gone.xml'))] });
    expect(out.batchItemFailures).toEqual([]);
    expect(ddb).toReceiveCommandWith(PutCommand, { Item: expect.objectContaining({ pk: 'FEED#gone', lastStatus: 'failed', consecutiveFailures: 1 }) });
  });

  it('refuses a feed on a loopback address when ALLOW_PRIVATE_NETWORKS is false, recording why in the feed state', async () => {
    vi.resetModules();
    vi.stubEnv('ALLOW_PRIVATE_NETWORKS', 'false');
    try {
      const { handler: guarded } = await import('../../functions/ingest/handler.ts');
      const out = await guarded({ Records: [message('m1', feed('indus', '/indus.xml'))] });
      expect(out.batchItemFailures).toEqual([]);
      expect(ddb).toReceiveCommandWith(PutCommand, { Item: expect.objectContaining({ pk: 'FEED#indus', lastStatus: 'failed', consecutiveFailures: 1, lastError: expect.stringMatching(/^blocked address: 127\.0\.0\.1 is loopback/) }) });
      expect(ddb).not.toReceiveCommandWith(PutCommand, { Item: expect.objectContaining({ kind: 'story' }) });
    } finally {
      vi.stubEnv('ALLOW_PRIVATE_NETWORKS', 'true');
    }
  });

  it('reports malformed messages and store errors as batch item failures, and still ingests the rest', async () => {
    ddb.on(PutCommand).callsFake((input: { Item: { pk: string } }) => {
      if (input.Item.pk === 'FEED#broken-store') throw new Error('ProvisionedThroughputExceededException');
      return {};
    });
    const out = await handler({
      Records: [message('bad-json', '{not json'), message('bad-shape', { feed: { id: 'x' } }), message('store', feed('broken-store', '/gone.xml')), message('ok', feed('indus', '/indus.xml'))],
    });
    expect(out.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['bad-json', 'bad-shape', 'store']);
    expect(ddb).toReceiveCommandWith(PutCommand, { Item: expect.objectContaining({ pk: 'FEED#indus', lastStatus: 'ok' }) });
  });
});
