import type { Clock, EventStore } from '../ports.ts';
import type { FeedDefinition } from '../domain/types.ts';
import { isDue } from '../domain/polling.ts';

/** Where due feeds go: an SQS queue in AWS, a function call in tests. */
export interface FeedQueue {
  send(feeds: FeedDefinition[]): Promise<void>;
}

/**
 * Sends every due feed of the registry to the feed-jobs queue.
 * Input: the registry. Output: how many feeds were due and sent.
 * 1. Read all feed states in one batched read.
 * 2. A feed is due when it has no state or its next poll time has passed.
 * 3. Send the due feeds (the queue adapter batches).
 */
export async function dispatchFeeds(feeds: FeedDefinition[], deps: { store: EventStore; queue: FeedQueue; clock: Clock }): Promise<{ due: number; skipped: number }> {
  const states = await deps.store.getFeedStates(feeds.map((f) => f.id));
  const now = deps.clock().toISOString();
  const due = feeds.filter((f) => isDue(states.get(f.id)?.nextPollAt, now));
  if (due.length) await deps.queue.send(due);
  return { due: due.length, skipped: feeds.length - due.length };
}
