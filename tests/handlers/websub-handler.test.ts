import { createHmac } from 'node:crypto';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import registry from '../../config/feeds.json' with { type: 'json' };

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/feed-jobs';
const feed = registry.feeds[0]!;
const SECRET = 'd'.repeat(64);
const CALLBACK_ID = 'e'.repeat(32);
let handler: (event: LambdaFunctionURLEvent) => Promise<{ statusCode: number; body: string }>;

const event = (method: string, body: string | undefined, headers: Record<string, string> = {}, query = '') =>
  ({ rawPath: `/${feed.id}/${CALLBACK_ID}`, rawQueryString: query, headers, body: body === undefined ? undefined : Buffer.from(body).toString('base64'), isBase64Encoded: body !== undefined, requestContext: { http: { method } } }) as unknown as LambdaFunctionURLEvent;
const subscription = { pk: `WEBSUB#${feed.id}`, sk: 'SUB', kind: 'websub', feedId: feed.id, hub: 'https://hub.example/', topic: feed.url, callbackId: CALLBACK_ID, secret: SECRET, status: 'verified', requestedAt: '2024-01-01T00:00:00.000Z', leaseSeconds: 864000, failures: 0, version: 2 };

describe('websub handler (Function URL)', () => {
  beforeAll(async () => {
    vi.stubEnv('TABLE_NAME', 'events');
    vi.stubEnv('FEED_QUEUE_URL', QUEUE);
    ({ handler } = (await import('../../functions/websub/handler.ts')) as never);
  });
  beforeEach(() => {
    ddb.reset();
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    ddb.on(GetCommand).resolves({ Item: subscription });
    ddb.on(BatchGetCommand).resolves({ Responses: { events: [] } });
    ddb.on(UpdateCommand).resolves({});
  });

  it('sends a feed job for a push signed with the subscription secret, and counts it on the feed', async () => {
    const body = '<rss version="2.0"><channel><title>pushed</title></channel></rss>';
    const result = await handler(event('POST', body, { 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` }));
    expect(result.statusCode).toBe(202);
    expect(sqs).toReceiveCommandWith(SendMessageBatchCommand, { QueueUrl: QUEUE, Entries: [{ Id: '0', MessageBody: JSON.stringify({ feed }) }] });
    expect(ddb).toReceiveCommandWith(UpdateCommand, { Key: { pk: `WEBSUB#${feed.id}`, sk: 'PUSHES' }, ExpressionAttributeValues: expect.objectContaining({ ':one': 1 }) });
  });

  it('refuses an unsigned push with 403 and sends nothing', async () => {
    const result = await handler(event('POST', '<rss/>'));
    expect(result.statusCode).toBe(403);
    expect(sqs).not.toReceiveCommand(SendMessageBatchCommand);
    expect(ddb).toReceiveCommandWith(UpdateCommand, { ExpressionAttributeValues: expect.objectContaining({ ':why': 'unsigned' }) });
  });

  it('echoes the challenge of a renewal it asked for, as plain text, and stores the new lease', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...subscription, renewalRequestedAt: '2024-01-09T00:00:00.000Z' } });
    ddb.on(PutCommand).resolves({});
    const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.topic': feed.url, 'hub.challenge': 'c<h>allenge', 'hub.lease_seconds': '86400' }).toString();
    const result = (await handler(event('GET', undefined, {}, query))) as { statusCode: number; body: string; headers: Record<string, string> };
    expect(result).toMatchObject({ statusCode: 200, body: 'c<h>allenge', headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(ddb).toReceiveCommandWith(PutCommand, { Item: expect.objectContaining({ status: 'verified', version: 3 }), ConditionExpression: '#v = :v' });
  });

  it('throws when the table cannot be read, so the hub retries and the Errors alarm counts it', async () => {
    ddb.on(GetCommand).rejects(new Error('throttled'));
    await expect(handler(event('POST', '<rss/>', { 'x-hub-signature-256': 'sha256=00' }))).rejects.toThrow('throttled');
  });
});
