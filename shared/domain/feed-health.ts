import type { FeedDefinition, FeedState, WebSubSubscription } from './types.ts';
import { isStale } from './polling.ts';
import { isLive } from './websub-subscription.ts';

/**
 * One feed's health as an operator reads it (`npm run feeds`): whether it is read, failing,
 * silent or never polled yet, why it failed last, when it is polled next, and whether its hub
 * pushes to us. Pure: from the feed's stored state and subscription, at a given time.
 */
export type FeedHealthStatus = 'ok' | 'failing' | 'stale' | 'never-polled';

/** Push: live (verified, lease running), lapsed (lease ended), pending, denied, failed; advertised: the feed names a hub we have not subscribed to. */
export type PushStatus = 'live' | 'lapsed' | 'pending' | 'denied' | 'failed' | 'advertised';

export interface FeedHealth {
  feedId: string;
  outlet: string;
  url: string;
  status: FeedHealthStatus;
  lastStatus: FeedState['lastStatus'];
  consecutiveFailures: number;
  lastFetchedAt?: string;
  lastSuccessAt?: string;
  lastNewAt?: string;
  lastErrorReason?: string;
  lastError?: string;
  nextPollAt?: string;
  parsePath?: string;
  /** the dyads this feed carried relevant articles about, newest first */
  dyads: string[];
  /** what its WebSub hub does for us; absent when the feed names no hub. Never the secret. */
  push?: { status: PushStatus; hub: string; leaseExpiresAt?: string; lastError?: string; retryAt?: string };
}

function pushOf(state: FeedState | undefined, subscription: WebSubSubscription | undefined, nowIso: string): FeedHealth['push'] {
  if (subscription) {
    const status: PushStatus = isLive(subscription, nowIso) ? 'live' : subscription.status === 'verified' ? 'lapsed' : subscription.status;
    return {
      status,
      hub: subscription.hub,
      ...(subscription.leaseExpiresAt ? { leaseExpiresAt: subscription.leaseExpiresAt } : {}),
      ...(subscription.lastError ? { lastError: subscription.lastError } : {}),
      ...(subscription.retryAt && status !== 'live' ? { retryAt: subscription.retryAt } : {}),
    };
  }
  const hub = state?.websub?.hubs[0];
  return hub ? { status: 'advertised', hub } : undefined;
}

export function feedHealth(feed: FeedDefinition, state: FeedState | undefined, subscription: WebSubSubscription | undefined, nowIso: string, staleAfterHours: number): FeedHealth {
  const polled = state !== undefined && state.lastStatus !== 'never';
  const status: FeedHealthStatus = !polled ? 'never-polled' : state.lastStatus === 'failed' ? 'failing' : isStale(state, nowIso, staleAfterHours) ? 'stale' : 'ok';
  const push = pushOf(state, subscription, nowIso);
  const optional = <K extends keyof FeedState>(key: K) => (state?.[key] !== undefined ? { [key]: state[key] } : {});
  return {
    feedId: feed.id,
    outlet: feed.outlet,
    url: feed.url,
    status,
    lastStatus: state?.lastStatus ?? 'never',
    consecutiveFailures: state?.consecutiveFailures ?? 0,
    ...optional('lastFetchedAt'),
    ...optional('lastSuccessAt'),
    ...optional('lastNewAt'),
    ...(status === 'failing' ? { ...optional('lastErrorReason'), ...optional('lastError') } : {}),
    ...optional('nextPollAt'),
    ...(state?.lastParsePath ? { parsePath: state.lastParsePath } : {}),
    dyads: Object.entries(state?.dyads ?? {})
      .sort((a, b) => b[1].localeCompare(a[1]))
      .map(([dyad]) => dyad),
    ...(push ? { push } : {}),
  } as FeedHealth;
}

/** Problems first (failing, then stale, then never polled, then ok), each by feed id; `needsAttention` also flags a push that is not live. */
export function byConcern(a: FeedHealth, b: FeedHealth): number {
  const rank = (h: FeedHealth) => ({ failing: 0, stale: 1, 'never-polled': 2, ok: 3 })[h.status];
  return rank(a) - rank(b) || a.feedId.localeCompare(b.feedId);
}

/** A feed an operator should look at: not read, silent, or its subscription not live. */
export function needsAttention(h: FeedHealth): boolean {
  return h.status !== 'ok' || (h.push !== undefined && ['lapsed', 'denied', 'failed'].includes(h.push.status));
}
