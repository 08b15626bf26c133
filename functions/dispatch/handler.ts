import { randomBytes } from 'node:crypto';
import { loadConfig } from '#shared/config.ts';
import { BUNDLED_FEEDS } from '#shared/bundled-feeds.ts';
import { DynamoDbEventStore, createDocumentClient } from '#shared/adapters/dynamodb-event-store.ts';
import { DynamoDbSubscriptionStore } from '#shared/adapters/dynamodb-subscription-store.ts';
import { SqsFeedQueue } from '#shared/adapters/sqs-feed-queue.ts';
import { DEFAULT_WEBSUB_POLICY } from '#shared/domain/websub-subscription.ts';
import { dispatchFeeds, type DispatchResult } from '#shared/use-cases/dispatch-feeds.ts';
import type { WebSubDeps } from '#shared/use-cases/maintain-subscriptions.ts';
import type { HubClient } from '#shared/ports.ts';
import { loadOnce } from '#shared/load-once.ts';
import { count, gauge, log, logger, metrics } from '#shared/observability.ts';

// Composition root: config and clients once per cold start; a bad value fails here, loudly.
const config = loadConfig(process.env, ['feedQueueUrl']);
const feeds = BUNDLED_FEEDS;
const doc = createDocumentClient();
const store = new DynamoDbEventStore(config.tableName, doc);
const queue = new SqsFeedQueue(config.feedQueueUrl as string);
const clock = () => new Date();
// WebSub: on when the stack gives the callback's URL. Hub URLs come from feeds, so hub requests
// pass the same address guard as the fetcher, with the same switch.
if (config.websub && config.allowPrivateNetworks) log.warn('ALLOW_PRIVATE_NETWORKS is true: WebSub hubs on loopback, private and link-local addresses will be asked');
// The hub client (and the address guard's tables under it) loads on the first hub request: most
// runs ask no hub, and a failed load is not kept, so the next request tries again.
const hubClient = loadOnce(async () => new (await import('#shared/adapters/http-hub-client.ts')).HttpHubClient({ allowPrivateNetworks: config.allowPrivateNetworks }));
const hub: HubClient = { subscribe: async (request) => (await hubClient()).subscribe(request) };
const websub: WebSubDeps | undefined = config.websub && {
  subscriptions: new DynamoDbSubscriptionStore(config.tableName, doc),
  hub,
  callbackBaseUrl: config.websub.callbackBaseUrl,
  clock,
  log,
  policy: { ...DEFAULT_WEBSUB_POLICY, leaseSeconds: config.websub.leaseSeconds, intervalMinutes: config.pollIntervalMinutes },
  randomHex: (bytes) => randomBytes(bytes).toString('hex'),
};

/** Scheduled: send each due feed of the registry to the feed-jobs queue. */
export const handler = async (): Promise<DispatchResult> => {
  try {
    const result = await dispatchFeeds(feeds, { store, queue, clock, staleAfterHours: config.staleAfterHours, surge: { intervalMinutes: config.pollIntervalMinutes }, ...(websub ? { websub } : {}) });
    count('feedsDispatched', result.due);
    gauge('staleFeeds', result.stale.length);
    if (result.stale.length) logger.warn('stale feeds', { stale: result.stale });
    // Counts only: subscriptions (and their secrets) are never logged.
    logger.info('feeds dispatched', { due: result.due, skipped: result.skipped, reasons: result.reasons, surging: result.surging, ...(result.websub ? { websub: result.websub } : {}) });
    return result;
  } finally {
    metrics.publishStoredMetrics();
  }
};
