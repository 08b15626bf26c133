import type { Clock, EventStore } from '../ports.ts';
import type { FeedDefinition } from '../domain/types.ts';
import { isDue, isStale } from '../domain/polling.ts';
import { pollReason, surgeDyads, surgeWindow, type PollReason, type SurgePolicy } from '../domain/surge.ts';

/** Where due feeds go: an SQS queue in AWS, a function call in tests. */
export interface FeedQueue {
  send(feeds: FeedDefinition[]): Promise<void>;
}

export interface DispatchResult {
  due: number;
  skipped: number;
  stale: string[];
  /** feeds sent, by why (only with a surge policy) */
  reasons?: Partial<Record<PollReason, number>>;
  /** dyads in a surge this run */
  surging?: string[];
}

/**
 * Sends every due feed of the registry to the feed-jobs queue.
 * Input: the registry. Output: how many feeds were due and sent, and which feeds are stale.
 * 1. Read all feed states in one batched read.
 * 2. A feed is due when it has no state or its next poll time has passed. With `surge`, also
 *    when its dyads are in a surge or it carried relevant items lately (surge.ts); the surging
 *    dyads come from one query of the day index over the last 48 hours (never a Scan).
 * 3. Send the due feeds (the queue adapter batches).
 * 4. List stale feeds (nothing new for staleAfterHours) for the staleFeeds metric and its alarm.
 */
export async function dispatchFeeds(
  feeds: FeedDefinition[],
  deps: { store: EventStore; queue: FeedQueue; clock: Clock; staleAfterHours: number; surge?: { intervalMinutes: number; policy?: SurgePolicy } },
): Promise<DispatchResult> {
  const states = await deps.store.getFeedStates(feeds.map((f) => f.id));
  const now = deps.clock().toISOString();
  let due: FeedDefinition[];
  let extra: Pick<DispatchResult, 'reasons' | 'surging'> = {};
  if (deps.surge) {
    const surging = surgeDyads(await deps.store.queryStories(surgeWindow(now)), now);
    const reasons: Partial<Record<PollReason, number>> = {};
    due = feeds.filter((f) => {
      const reason = pollReason(f, states.get(f.id), { nowIso: now, surging, intervalMinutes: deps.surge?.intervalMinutes ?? 5, ...(deps.surge?.policy ? { policy: deps.surge.policy } : {}) });
      if (reason) reasons[reason] = (reasons[reason] ?? 0) + 1;
      return reason !== null;
    });
    extra = { reasons, surging: [...surging].sort() };
  } else {
    due = feeds.filter((f) => isDue(states.get(f.id)?.nextPollAt, now));
  }
  if (due.length) await deps.queue.send(due);
  const stale = feeds.filter((f) => isStale(states.get(f.id), now, deps.staleAfterHours)).map((f) => f.id);
  return { due: due.length, skipped: feeds.length - due.length, stale, ...extra };
}
