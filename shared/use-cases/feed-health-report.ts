import type { FeedDefinition } from '../domain/types.ts';
import type { EventStore, SubscriptionStore } from '../ports.ts';
import { byConcern, feedHealth, type FeedHealth } from '../domain/feed-health.ts';

/**
 * The health of every feed of a registry, problems first (`npm run feeds`). Two batched reads
 * (feed states, WebSub subscriptions) by the registry's ids, never a Scan.
 */
export async function feedHealthReport(
  feeds: FeedDefinition[],
  deps: { store: Pick<EventStore, 'getFeedStates'>; subscriptions: Pick<SubscriptionStore, 'getSubscriptions'> },
  nowIso: string,
  staleAfterHours: number,
): Promise<FeedHealth[]> {
  const ids = feeds.map((f) => f.id);
  const [states, subscriptions] = await Promise.all([deps.store.getFeedStates(ids), deps.subscriptions.getSubscriptions(ids)]);
  return feeds.map((f) => feedHealth(f, states.get(f.id), subscriptions.get(f.id), nowIso, staleAfterHours)).sort(byConcern);
}
