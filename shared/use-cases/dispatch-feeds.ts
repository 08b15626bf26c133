import type { Clock, EventStore, FeedQueue } from '../ports.ts';
import type { FeedDefinition } from '../domain/types.ts';
import { isDue, isStale } from '../domain/polling.ts';
import { pollReason, surgeDyads, surgeWindow, type PollReason, type SurgePolicy } from '../domain/surge.ts';
import { isLive, pollWithPush } from '../domain/websub-subscription.ts';
import { maintainSubscriptions, type WebSubDeps, type WebSubSummary } from './maintain-subscriptions.ts';

export type { FeedQueue } from '../ports.ts';

export interface DispatchResult {
  due: number;
  skipped: number;
  stale: string[];
  /** feeds sent, by why (only with a surge policy) */
  reasons?: Partial<Record<PollReason, number>>;
  /** dyads in a surge this run */
  surging?: string[];
  /** WebSub subscriptions (only with `websub`) */
  websub?: WebSubSummary;
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
 * 5. With `websub`: a feed whose push is live is polled only as a safety net (pollWithPush), and
 *    after the due feeds are sent, subscriptions are asked, renewed or given up
 *    (maintain-subscriptions.ts). Only feeds whose state names a hub have their subscription read.
 */
export async function dispatchFeeds(
  feeds: FeedDefinition[],
  deps: { store: EventStore; queue: FeedQueue; clock: Clock; staleAfterHours: number; surge?: { intervalMinutes: number; policy?: SurgePolicy }; websub?: WebSubDeps },
): Promise<DispatchResult> {
  const states = await deps.store.getFeedStates(feeds.map((f) => f.id));
  const now = deps.clock().toISOString();
  const withHub = deps.websub ? feeds.filter((f) => states.get(f.id)?.websub) : [];
  const subscriptions = deps.websub && withHub.length ? await deps.websub.subscriptions.getSubscriptions(withHub.map((f) => f.id)) : new Map<string, never>();
  const pushed = new Set(withHub.filter((f) => isLive(subscriptions.get(f.id), now)).map((f) => f.id));
  const websubPolicy = deps.websub?.policy;
  let due: FeedDefinition[];
  let extra: Pick<DispatchResult, 'reasons' | 'surging' | 'websub'> = {};
  if (deps.surge) {
    const surging = surgeDyads(await deps.store.queryStories(surgeWindow(now)), now);
    const reasons: Partial<Record<PollReason, number>> = {};
    due = feeds.filter((f) => {
      if (pushed.has(f.id) && websubPolicy) {
        const poll = pollWithPush(states.get(f.id), now, websubPolicy);
        if (poll) reasons.scheduled = (reasons.scheduled ?? 0) + 1;
        return poll;
      }
      const reason = pollReason(f, states.get(f.id), { nowIso: now, surging, intervalMinutes: deps.surge?.intervalMinutes ?? 5, ...(deps.surge?.policy ? { policy: deps.surge.policy } : {}) });
      if (reason) reasons[reason] = (reasons[reason] ?? 0) + 1;
      return reason !== null;
    });
    extra = { reasons, surging: [...surging].sort() };
  } else {
    due = feeds.filter((f) => (pushed.has(f.id) && websubPolicy ? pollWithPush(states.get(f.id), now, websubPolicy) : isDue(states.get(f.id)?.nextPollAt, now)));
  }
  if (due.length) await deps.queue.send(due);
  const stale = feeds.filter((f) => isStale(states.get(f.id), now, deps.staleAfterHours)).map((f) => f.id);
  if (deps.websub) {
    extra = { ...extra, websub: await maintainSubscriptions(withHub, states, subscriptions, deps.websub) };
  }
  return { due: due.length, skipped: feeds.length - due.length, stale, ...extra };
}
