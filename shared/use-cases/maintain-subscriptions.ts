import type { Clock, HubClient, Log, SubscriptionStore } from '../ports.ts';
import type { FeedDefinition, FeedState, WebSubSubscription } from '../domain/types.ts';
import { nextSubscriptionAction, retryTime, type WebSubPolicy } from '../domain/websub-subscription.ts';
import { describeError } from '../errors.ts';

export interface WebSubDeps {
  subscriptions: SubscriptionStore;
  hub: HubClient;
  /** the callback function's public URL (AWS: the Function URL); each subscription adds /<feedId>/<callbackId> */
  callbackBaseUrl: string;
  clock: Clock;
  log: Log;
  policy: WebSubPolicy;
  /** random bytes as hex: callback ids and secrets (node:crypto's randomBytes in the Lambda) */
  randomHex: (bytes: number) => string;
  /** hub requests per run at most (the rest wait for the next run): bounds the dispatcher's time */
  maxRequests?: number;
}

export interface WebSubSummary {
  /** feeds whose push is live (verified, lease running) */
  live: number;
  subscribed: number;
  renewed: number;
  /** requests the hub refused or that could not reach it, and subscriptions never verified in time */
  failed: number;
  /** actions left for the next run (maxRequests) */
  deferred: number;
}

/** Callback ids: 128 bits, so a callback URL cannot be guessed from the feed id. */
const CALLBACK_ID_BYTES = 16;
/** The spec asks for a secret under 200 bytes; 32 random bytes (64 hex characters) is the HMAC's own size. */
const SECRET_BYTES = 32;
const CONCURRENCY = 4;

export function callbackUrl(base: string, subscription: Pick<WebSubSubscription, 'feedId' | 'callbackId'>): string {
  return `${base.replace(/\/+$/, '')}/${encodeURIComponent(subscription.feedId)}/${subscription.callbackId}`;
}

/**
 * Keeps each feed's WebSub subscription alive (run by the dispatcher after it has sent the due feeds).
 * Input: the registry's feeds with their states (the hub each advertised) and subscriptions.
 * Output: counts. Steps, per feed (websub-subscription.ts decides which):
 * 1. A feed with a usable hub and no subscription, a lapsed one, one for another hub or topic, or
 *    a failed or denied one whose backoff has passed: a fresh subscription (new callback id and
 *    secret) is stored as pending *before* the hub is asked, since hubs may verify before they
 *    answer, then the hub is asked.
 * 2. A live subscription near the end of its lease: renewed with the same callback and secret.
 * 3. A pending one not verified in time: failed (polled only, asked again after a backoff).
 * A hub that refuses or cannot be reached marks the subscription failed (a renewal keeps its
 * live lease). Feeds dropped from the registry are not passed here: their subscriptions lapse.
 */
export async function maintainSubscriptions(
  feeds: FeedDefinition[],
  states: Map<string, FeedState>,
  subscriptions: Map<string, WebSubSubscription>,
  deps: WebSubDeps,
): Promise<WebSubSummary> {
  const nowIso = deps.clock().toISOString();
  const summary: WebSubSummary = { live: 0, subscribed: 0, renewed: 0, failed: 0, deferred: 0 };
  const work: (() => Promise<void>)[] = [];
  for (const feed of feeds) {
    const current = subscriptions.get(feed.id);
    const action = nextSubscriptionAction(states.get(feed.id)?.websub, current, nowIso, deps.policy);
    if (current?.status === 'verified' && current.leaseExpiresAt && current.leaseExpiresAt > nowIso) summary.live++;
    if (action.kind === 'none') continue;
    if (action.kind === 'expire') {
      const sub = current as WebSubSubscription;
      const failures = sub.failures + 1;
      await deps.subscriptions.putSubscription({ ...sub, status: 'failed', failures, lastError: action.error, retryAt: retryTime(nowIso, failures, deps.policy) }, sub.version);
      deps.log.warn('websub subscription not verified', { feedId: feed.id, hub: sub.hub, failures });
      summary.failed++;
      continue;
    }
    if (work.length >= (deps.maxRequests ?? 20)) {
      summary.deferred++;
      continue;
    }
    if (action.kind === 'renew') work.push(() => renew(current as WebSubSubscription, nowIso, deps, summary));
    else work.push(() => subscribe(feed.id, action, current, nowIso, deps, summary));
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, work.length) }, async () => {
      while (next < work.length) await (work[next++] as () => Promise<void>)();
    }),
  );
  return summary;
}

async function subscribe(feedId: string, action: { hub: string; topic: string; why: string }, current: WebSubSubscription | undefined, nowIso: string, deps: WebSubDeps, summary: WebSubSummary): Promise<void> {
  const pending: WebSubSubscription = {
    feedId,
    hub: action.hub,
    topic: action.topic,
    callbackId: deps.randomHex(CALLBACK_ID_BYTES),
    secret: deps.randomHex(SECRET_BYTES),
    status: 'pending',
    requestedAt: nowIso,
    leaseSeconds: deps.policy.leaseSeconds,
    // A retry keeps counting, so its backoff grows; anything else starts afresh.
    failures: action.why === 'retry' ? (current?.failures ?? 0) : 0,
    version: current?.version ?? 0,
  };
  // Another dispatcher run wrote first: it asks the hub, not this one.
  if (!(await deps.subscriptions.putSubscription(pending, pending.version))) return;
  const stored = { ...pending, version: pending.version + 1 };
  try {
    await deps.hub.subscribe({ hub: action.hub, topic: action.topic, callback: callbackUrl(deps.callbackBaseUrl, stored), secret: stored.secret, leaseSeconds: stored.leaseSeconds });
    summary.subscribed++;
    deps.log.info('websub subscription asked', { feedId, hub: action.hub, topic: action.topic, why: action.why });
  } catch (error) {
    const failures = stored.failures + 1;
    const lastError = describeError(error);
    // If the hub verified or denied meanwhile, that write stands (the version moved on).
    await deps.subscriptions.putSubscription({ ...stored, status: 'failed', failures, lastError, retryAt: retryTime(nowIso, failures, deps.policy) }, stored.version);
    summary.failed++;
    deps.log.warn('websub subscription failed', { feedId, hub: action.hub, error: lastError, failures });
  }
}

async function renew(current: WebSubSubscription, nowIso: string, deps: WebSubDeps, summary: WebSubSummary): Promise<void> {
  const asked: WebSubSubscription = { ...current, renewalRequestedAt: nowIso };
  if (!(await deps.subscriptions.putSubscription(asked, current.version))) return;
  const stored = { ...asked, version: current.version + 1 };
  try {
    await deps.hub.subscribe({ hub: current.hub, topic: current.topic, callback: callbackUrl(deps.callbackBaseUrl, current), secret: current.secret, leaseSeconds: deps.policy.leaseSeconds });
    summary.renewed++;
    deps.log.info('websub subscription renewal asked', { feedId: current.feedId, hub: current.hub, leaseExpiresAt: current.leaseExpiresAt });
  } catch (error) {
    // The lease still runs: the renewal is asked again after renewRetryMinutes, until it lapses.
    const lastError = describeError(error);
    await deps.subscriptions.putSubscription({ ...stored, failures: stored.failures + 1, lastError }, stored.version);
    summary.failed++;
    deps.log.warn('websub renewal failed', { feedId: current.feedId, hub: current.hub, error: lastError });
  }
}
