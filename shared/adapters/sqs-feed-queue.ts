import { SQSClient, SendMessageBatchCommand, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { FeedQueue } from '../ports.ts';
import type { FeedDefinition } from '../domain/types.ts';

/** One message per feed, sent ten at a time (SQS's batch limit); failed entries are retried once. */
export class SqsFeedQueue implements FeedQueue {
  constructor(
    private readonly queueUrl: string,
    private readonly client: SQSClient = new SQSClient({}),
  ) {}

  async send(feeds: FeedDefinition[]): Promise<void> {
    for (let i = 0; i < feeds.length; i += 10) {
      let entries: SendMessageBatchRequestEntry[] = feeds.slice(i, i + 10).map((feed, n) => ({ Id: String(n), MessageBody: JSON.stringify({ feed }) }));
      for (let attempt = 0; entries.length; attempt++) {
        const out = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        if (!failed.size) break;
        if (attempt >= 1) throw new Error(`SQS refused ${failed.size} feed job(s): ${(out.Failed ?? []).map((f) => `${f.Id}: ${f.Code}`).join(', ')}`);
        entries = entries.filter((e) => failed.has(e.Id));
      }
    }
  }
}
