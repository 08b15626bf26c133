import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SqsFeedQueue } from '#shared/adapters/sqs-feed-queue.ts';
import type { FeedDefinition } from '#shared/domain/types.ts';

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/feed-jobs';

function feeds(count: number): FeedDefinition[] {
  return Array.from({ length: count }, (_, i) => ({ id: `feed-${i}`, url: `https://news${i}.example.org/rss`, outlet: `Outlet ${i}`, language: 'en' }));
}

describe('SqsFeedQueue', () => {
  const sqs = mockClient(SQSClient);
  const queue = new SqsFeedQueue(QUEUE, new SQSClient({ region: 'eu-west-1' }));

  beforeEach(() => {
    sqs.reset();
  });

  afterAll(() => {
    sqs.restore();
  });

  function sentBatches() {
    return sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input);
  }

  it('sends 23 feeds as batches of 10, 10 and 3, one {feed} message each', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const all = feeds(23);
    await queue.send(all);
    expect(sqs).toReceiveCommandTimes(SendMessageBatchCommand, 3);
    const batches = sentBatches();
    expect(batches.map((b) => b.Entries?.length)).toEqual([10, 10, 3]);
    expect(batches.every((b) => b.QueueUrl === QUEUE)).toBe(true);
    const bodies = batches.flatMap((b) => (b.Entries ?? []).map((e) => JSON.parse(e.MessageBody ?? 'null') as unknown));
    expect(bodies).toEqual(all.map((feed) => ({ feed })));
    for (const b of batches) {
      const ids = (b.Entries ?? []).map((e) => e.Id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('sends nothing for no feeds', async () => {
    await queue.send([]);
    expect(sqs).not.toReceiveAnyCommand();
  });

  it('retries a failed entry once, alone', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '3', Code: 'InternalError', SenderFault: false }] })
      .resolvesOnce({ Failed: [] });
    const all = feeds(5);
    await queue.send(all);
    expect(sqs).toReceiveCommandTimes(SendMessageBatchCommand, 2);
    const retry = sentBatches()[1];
    expect(retry?.Entries).toEqual([{ Id: '3', MessageBody: JSON.stringify({ feed: all[3] }) }]);
  });

  it('throws when the entry fails again', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });
    await expect(queue.send(feeds(2))).rejects.toThrow(/SQS refused 1 feed job.*0: InternalError/);
    expect(sqs).toReceiveCommandTimes(SendMessageBatchCommand, 2);
  });
});
