import registry from '../../config/feeds.json' with { type: 'json' };
import { loadConfig, parseFeedRegistry } from '#shared/config.ts';
import { DynamoDbEventStore } from '#shared/adapters/dynamodb-event-store.ts';
import { SqsFeedQueue } from '#shared/adapters/sqs-feed-queue.ts';
import { dispatchFeeds, type DispatchResult } from '#shared/use-cases/dispatch-feeds.ts';
import { count, gauge, logger, metrics } from '#shared/observability.ts';

// Composition root: config and clients once per cold start; a bad value fails here, loudly.
const config = loadConfig(process.env, ['feedQueueUrl']);
const feeds = parseFeedRegistry(registry, 'config/feeds.json');
const store = new DynamoDbEventStore(config.tableName);
const queue = new SqsFeedQueue(config.feedQueueUrl as string);

/** Scheduled: send each due feed of the registry to the feed-jobs queue. */
export const handler = async (): Promise<DispatchResult> => {
  try {
    const result = await dispatchFeeds(feeds, { store, queue, clock: () => new Date(), staleAfterHours: config.staleAfterHours, surge: { intervalMinutes: config.pollIntervalMinutes } });
    count('feedsDispatched', result.due);
    gauge('staleFeeds', result.stale.length);
    if (result.stale.length) logger.warn('stale feeds', { stale: result.stale });
    logger.info('feeds dispatched', { due: result.due, skipped: result.skipped, reasons: result.reasons, surging: result.surging });
    return result;
  } finally {
    metrics.publishStoredMetrics();
  }
};
