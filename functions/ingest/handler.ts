import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { loadConfig } from '#shared/config.ts';
import { parseFeedJob } from '#shared/feed-job.ts';
import { DynamoDbEventStore } from '#shared/adapters/dynamodb-event-store.ts';
import { HttpFeedFetcher } from '#shared/adapters/http-feed-fetcher.ts';
import { RssFeedParser } from '#shared/adapters/rss-feed-parser.ts';
import { SqsStoryQueue } from '#shared/adapters/sqs-story-queue.ts';
import { lazyClassifier } from '#shared/lazy-classifier.ts';
import { ingestFeed, type IngestDeps } from '#shared/use-cases/ingest-feed.ts';
import { describeError } from '#shared/errors.ts';
import { count, log, logger, metrics } from '#shared/observability.ts';

const config = loadConfig(process.env, ['storyQueueUrl']);
if (config.allowPrivateNetworks) log.warn('ALLOW_PRIVATE_NETWORKS is true: feeds on loopback, private and link-local addresses will be fetched');
const deps: IngestDeps = {
  fetcher: new HttpFeedFetcher({ allowPrivateNetworks: config.allowPrivateNetworks }),
  // Workers parse, normalise and classify; the handler's thread stores (same watch files as `classify`).
  parser: new RssFeedParser({ prepare: true }),
  store: new DynamoDbEventStore(config.tableName),
  // Only for items the lenient reader salvages: built on the first one, with the watch files
  // read then (their loader and zod wait in a chunk); they were validated when the bundle was built.
  classify: lazyClassifier(async () => (await import('#shared/watches.ts')).loadWatches()),
  clock: () => new Date(),
  log,
  policy: config.policy,
  pollIntervalMinutes: config.pollIntervalMinutes,
  // Relevant articles go to the story function through a FIFO queue grouped by dyad: ingest
  // stays parallel per feed, story formation runs once at a time per dyad.
  storyQueue: new SqsStoryQueue(config.storyQueueUrl as string),
};

async function processRecord(record: SQSRecord): Promise<void> {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch (cause) {
    throw new Error(`message ${record.messageId} is not JSON`, { cause });
  }
  const { feed } = parseFeedJob(body, `message ${record.messageId}`);
  logger.appendKeys({ feedId: feed.id });
  try {
    const result = await ingestFeed(feed, deps);
    if (result.outcome === 'ok') count('feedsFetched');
    if (result.outcome === 'not-modified') count('feedsNotModified');
    if (result.outcome === 'failed') count('feedErrors');
    count('articlesNew', result.articles.new + result.articles.queued);
    count('articlesRelevant', result.articles.relevant);
    count('duplicatesSkipped', result.articles.duplicate);
  } finally {
    logger.removeKeys(['feedId']);
  }
}

/**
 * SQS batch of feed jobs. A feed that cannot be fetched or parsed is a recorded outcome, not a
 * failure; a message that is malformed or hits a store error is reported as a batch item
 * failure, so SQS retries it alone and moves it to the DLQ after the queue's maxReceiveCount.
 */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const results = await Promise.allSettled(event.Records.map(processRecord));
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  results.forEach((r, i) => {
    if (r.status === 'rejected') {
      const record = event.Records[i] as SQSRecord;
      logger.error('feed job failed', { messageId: record.messageId, error: describeError(r.reason) });
      count('feedErrors');
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  });
  metrics.publishStoredMetrics();
  return { batchItemFailures };
};
