import type { SQSClient, SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { StoryQueue } from '../ports.ts';
import type { Article } from '../domain/types.ts';
import { QueueError } from '../errors.ts';
import { loadOnce } from '../load-once.ts';

/**
 * Relevant articles onto the story FIFO queue: the dyad is the message group, so one dyad's
 * articles are placed by one story function at a time (and in order), while other dyads go on
 * in parallel. The article id deduplicates: the same article sent twice within SQS's five-minute
 * window (two feeds, or a retried ingest) is delivered once. Ten to a request; failed entries
 * are retried once, then the send throws and the feed is read again.
 *
 * The SQS client is imported on the first send: most feed jobs bring no relevant article, and
 * the ingest Lambda's cold start need not read it.
 */
export class SqsStoryQueue implements StoryQueue {
  private readonly load = loadOnce(async () => {
    const sdk = await import('@aws-sdk/client-sqs');
    return { client: this.client ?? new sdk.SQSClient({}), Command: sdk.SendMessageBatchCommand };
  });

  constructor(
    private readonly queueUrl: string,
    private readonly client?: SQSClient,
  ) {}

  async send(articles: { article: Article; alertable: boolean }[]): Promise<void> {
    if (!articles.length) return;
    const { client, Command } = await this.load();
    for (let i = 0; i < articles.length; i += 10) {
      let entries: SendMessageBatchRequestEntry[] = articles.slice(i, i + 10).map(({ article, alertable }, n) => ({
        Id: String(n),
        MessageBody: JSON.stringify({ article, alertable }),
        MessageGroupId: article.classification.dyad ?? 'none',
        MessageDeduplicationId: article.articleId,
      }));
      for (let attempt = 0; entries.length; attempt++) {
        const out = await client.send(new Command({ QueueUrl: this.queueUrl, Entries: entries }));
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        if (!failed.size) break;
        if (attempt >= 1) throw new QueueError(`SQS refused ${failed.size} story job(s): ${(out.Failed ?? []).map((f) => `${f.Id}: ${f.Code}`).join(', ')}`);
        entries = entries.filter((e) => failed.has(e.Id));
      }
    }
  }
}
