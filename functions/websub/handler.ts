import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { loadConfig } from '#shared/config.ts';
import { BUNDLED_FEEDS } from '#shared/bundled-feeds.ts';
import { DynamoDbEventStore, createDocumentClient } from '#shared/adapters/dynamodb-event-store.ts';
import { DynamoDbSubscriptionStore } from '#shared/adapters/dynamodb-subscription-store.ts';
import { SqsFeedQueue } from '#shared/adapters/sqs-feed-queue.ts';
import { callbackRequestFromFunctionUrl, functionUrlResult } from '#shared/adapters/function-url-callback.ts';
import { DEFAULT_WEBSUB_POLICY } from '#shared/domain/websub-subscription.ts';
import { handleCallback, type CallbackDeps, type CallbackOutcome } from '#shared/use-cases/websub-callback.ts';
import { describeError } from '#shared/errors.ts';
import { count, log, logger, metrics } from '#shared/observability.ts';

// Composition root: config and clients once per cold start; a bad value fails here, loudly.
const config = loadConfig(process.env, ['feedQueueUrl']);
const doc = createDocumentClient();
const deps: CallbackDeps = {
  // Only registry feeds have callbacks: a push for a feed dropped from it is answered 410.
  feeds: new Map(BUNDLED_FEEDS.map((f) => [f.id, f])),
  subscriptions: new DynamoDbSubscriptionStore(config.tableName, doc),
  store: new DynamoDbEventStore(config.tableName, doc),
  queue: new SqsFeedQueue(config.feedQueueUrl as string),
  clock: () => new Date(),
  log,
  policy: DEFAULT_WEBSUB_POLICY,
};

const REFUSED: ReadonlySet<CallbackOutcome> = new Set(['unsigned', 'bad-signature', 'too-large', 'unknown-subscription']);

/**
 * The WebSub callback behind a public Function URL (auth NONE: hubs cannot sign requests with
 * SigV4; each push is checked against its subscription's secret instead). A failure to read the
 * table or send the job is thrown: the hub sees a 5xx and retries, and the Errors alarm counts it.
 */
export const handler = async (event: LambdaFunctionURLEvent) => {
  try {
    const { response, outcome } = await handleCallback(callbackRequestFromFunctionUrl(event), deps);
    if (REFUSED.has(outcome)) count('pushesRefused');
    if (outcome === 'accepted') count('feedsDispatched');
    return functionUrlResult(response);
  } catch (error) {
    logger.error('websub callback failed', { method: event.requestContext?.http?.method, error: describeError(error) });
    throw error;
  } finally {
    metrics.publishStoredMetrics();
  }
};
