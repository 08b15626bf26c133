import type { Clock, EventStore } from '../ports.ts';
import type { FeedDefinition } from '../domain/types.ts';
import { isDue, isStale } from '../domain/polling.ts';

/** Where due feeds go: an SQS queue in AWS, a function call in tests. */
export interface FeedQueue {
  send(feeds: FeedDefinition[]): Promise<void>;
}

/**
 * Sends every due feed of the registry to the feed-jobs queue.
 * Input: the registry. Output: how many feeds were due and sent, and which feeds are stale.
 * 1. Read all feed states in one batched read.
 * 2. A feed is due when it has no state or its next poll time has passed.
 * 3. Send the due feeds (the queue adapter batches).
 * 4. List stale feeds (nothing new for staleAfterHours) for the staleFeeds metric and its alarm.
 */
export async function dispatchFeeds(
  feeds: FeedDefinition[],
  deps: { store: EventStore; queue: FeedQueue; clock: Clock; staleAfterHours: number },
): Promise<{ due: number; skipped: number; stale: string[] }> {
  const states = await deps.store.getFeedStates(feeds.map((f) => f.id));
  const now = deps.clock().toISOString();
  const due = feeds.filter((f) => isDue(states.get(f.id)?.nextPollAt, now));
  if (due.length) await deps.queue.send(due);
  const stale = feeds.filter((f) => isStale(states.get(f.id), now, deps.staleAfterHours)).map((f) => f.id);
  return { due: due.length, skipped: feeds.length - due.length, stale };
}
