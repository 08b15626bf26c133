import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SqsStoryQueue } from '#shared/adapters/sqs-story-queue.ts';
import { parseStoryJob } from '#shared/story-job.ts';
import { createClassifier } from '#shared/domain/classify.ts';
import { loadWatches } from '#shared/watches.ts';
import { QueueError } from '#shared/errors.ts';
import type { Article } from '#shared/domain/types.ts';

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/story-jobs.fifo';
const classify = createClassifier(loadWatches());

function article(i: number, dyad = 'IR-PK'): Article {
  const title = 'Pakistan recalls its ambassador from Tehran after Iranian strike';
  const publishedAt = '2024-01-17T10:00:00.000Z';
  const classification = { ...classify({ title, summary: '', published: publishedAt }), dyad };
  return { articleId: `art-${i}`, url: `https://news.example/${i}`, title, summary: '', publishedAt, publishedFromFeed: true, feedId: 'f', outlet: 'Dawn', language: 'en', fetchedAt: publishedAt, classification, storyId: null };
}

describe('SqsStoryQueue', () => {
  const sqs = mockClient(SQSClient);
  const queue = new SqsStoryQueue(QUEUE, new SQSClient({ region: 'eu-west-1' }));
  beforeEach(() => sqs.reset());
  afterAll(() => sqs.restore());

  it('sends ten to a request, grouped by dyad and deduplicated by article id', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    await queue.send(Array.from({ length: 12 }, (_, i) => ({ article: article(i, i % 2 ? 'AF-PK' : 'IR-PK'), alertable: true })));
    const batches = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries ?? []);
    expect(batches.map((b) => b.length)).toEqual([10, 2]);
    expect(batches[0]?.[0]).toMatchObject({ MessageGroupId: 'IR-PK', MessageDeduplicationId: 'art-0' });
    expect(batches[0]?.[1]).toMatchObject({ MessageGroupId: 'AF-PK', MessageDeduplicationId: 'art-1' });
  });

  it('sends a body the story function reads back unchanged', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const sent = { article: article(1), alertable: false };
    await queue.send([sent]);
    const body = sqs.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries?.[0]?.MessageBody as string;
    expect(parseStoryJob(JSON.parse(body))).toEqual(JSON.parse(JSON.stringify(sent)));
  });

  it('retries failed entries once, then throws a QueueError naming them', async () => {
    sqs.on(SendMessageBatchCommand).resolvesOnce({ Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }] }).resolves({ Failed: [] });
    await queue.send([{ article: article(0), alertable: true }, { article: article(1), alertable: true }]);
    expect(sqs.commandCalls(SendMessageBatchCommand)[1]?.args[0].input.Entries?.map((e) => e.Id)).toEqual(['1']);
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });
    await expect(queue.send([{ article: article(0), alertable: true }])).rejects.toThrow(QueueError);
  });
});
