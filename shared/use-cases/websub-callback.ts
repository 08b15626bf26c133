import type { Clock, EventStore, FeedQueue, Log, PushOutcome, SubscriptionStore } from '../ports.ts';
import type { FeedDefinition, WebSubSubscription } from '../domain/types.ts';
import { MAX_PUSH_BYTES, checkSignature, grantedLeaseSeconds, retryTime, sameId, type WebSubPolicy } from '../domain/websub-subscription.ts';

/** One request to the callback, as the Function URL (or a local server) received it. */
export interface CallbackRequest {
  method: string;
  /** e.g. /indus-daily/0f3c... */
  path: string;
  /** the raw query string, without `?` */
  query: string;
  /** lower-case names */
  headers: Record<string, string | undefined>;
  /** the raw body, exactly as sent (the signature covers these bytes) */
  body: Uint8Array;
}

export interface CallbackResponse {
  status: number;
  body: string;
}

export type CallbackOutcome = PushOutcome | 'verified' | 'denied' | 'refused-verification' | 'held' | 'bad-request';

export interface CallbackDeps {
  /** the registry by feed id: a callback for a feed not in it is unknown (a dropped feed's hub is told 410) */
  feeds: ReadonlyMap<string, FeedDefinition>;
  subscriptions: SubscriptionStore;
  /** feed states: a push never cuts short a feed's backoff or Retry-After */
  store: Pick<EventStore, 'getFeedStates'>;
  queue: FeedQueue;
  clock: Clock;
  log: Log;
  policy: Pick<WebSubPolicy, 'retryBaseMinutes' | 'retryMaxMinutes'>;
  maxBodyBytes?: number;
}

/** Challenges are echoed back; anything longer than this is not a hub's. */
const MAX_CHALLENGE = 1024;
const FEED_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const CALLBACK_ID = /^[0-9a-f]{32}$/;

const reply = (status: number, body = '') => ({ status, body });

/**
 * The WebSub callback (W3C WebSub 5.3 and 8): the hub's verification GETs and its content POSTs.
 * Input: one request. Output: the response, and what it was, for the handler's count and log.
 * - GET hub.mode=subscribe: the challenge is echoed (200) only when it names a subscription we
 *   asked for and have not seen verified (pending, or a renewal asked), for the topic we asked;
 *   the lease starts. Anything else is 404, so nobody can make us confirm what we never asked.
 * - GET hub.mode=denied: the hub refused our subscription; the feed stays on polling and the
 *   subscription is asked again after a backoff. hub.mode=unsubscribe: 404 (we never ask it).
 * - POST: a content push. Refused, and counted on the feed's push record (unknown feeds only in
 *   the log: nothing is written for a URL anyone can call), when it is over the size cap (413),
 *   names no live subscription (410, which tells a hub to drop it), or is unsigned or its
 *   signature does not match the subscription's secret (403). A valid push sends the feed to the
 *   feed-jobs queue to be fetched at once, with the same conditional GET, caps and parsing as a
 *   poll, unless the feed is in backoff (202, fetched when that ends). The pushed body itself is
 *   never parsed: see README (WebSub) for why.
 */
export async function handleCallback(request: CallbackRequest, deps: CallbackDeps): Promise<{ response: CallbackResponse; outcome: CallbackOutcome; feedId?: string }> {
  const [feedId = '', callbackId = '', ...rest] = request.path.replace(/^\/+/, '').split('/');
  const wellFormed = FEED_ID.test(feedId) && CALLBACK_ID.test(callbackId) && rest.length === 0;
  const feed = wellFormed ? deps.feeds.get(feedId) : undefined;
  const method = request.method.toUpperCase();
  if (method === 'GET') return { ...(await verification(request, feed, callbackId, deps)), ...(feed ? { feedId } : {}) };
  if (method !== 'POST') return { response: reply(405), outcome: 'bad-request' };
  return { ...(await push(request, feed, callbackId, deps)), ...(feed ? { feedId } : {}) };
}

async function ours(feed: FeedDefinition | undefined, callbackId: string, deps: CallbackDeps): Promise<WebSubSubscription | null> {
  if (!feed) return null;
  const subscription = await deps.subscriptions.getSubscription(feed.id);
  return subscription && sameId(subscription.callbackId, callbackId) ? subscription : null;
}

async function verification(request: CallbackRequest, feed: FeedDefinition | undefined, callbackId: string, deps: CallbackDeps): Promise<{ response: CallbackResponse; outcome: CallbackOutcome }> {
  const query = new URLSearchParams(request.query);
  const mode = query.get('hub.mode');
  const topic = query.get('hub.topic');
  const nowIso = deps.clock().toISOString();
  if (mode === 'subscribe') {
    const challenge = query.get('hub.challenge') ?? '';
    if (!challenge || challenge.length > MAX_CHALLENGE) return { response: reply(404), outcome: 'refused-verification' };
    // A write that loses a race (the dispatcher renewing) is read again and decided again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const subscription = await ours(feed, callbackId, deps);
      const asked = subscription && subscription.topic === topic && (subscription.status === 'pending' || (subscription.status === 'verified' && subscription.renewalRequestedAt !== undefined));
      if (!subscription || !asked) return { response: reply(404), outcome: 'refused-verification' };
      const lease = grantedLeaseSeconds(query.get('hub.lease_seconds'), subscription.leaseSeconds);
      const verified: WebSubSubscription = {
        ...subscription,
        status: 'verified',
        verifiedAt: nowIso,
        leaseExpiresAt: new Date(Date.parse(nowIso) + lease * 1000).toISOString(),
        failures: 0,
        lastError: undefined,
        retryAt: undefined,
        renewalRequestedAt: undefined,
      };
      if (await deps.subscriptions.putSubscription(verified, subscription.version)) {
        deps.log.info('websub subscription verified', { feedId: subscription.feedId, hub: subscription.hub, leaseSeconds: lease });
        return { response: reply(200, challenge), outcome: 'verified' };
      }
    }
    return { response: reply(503), outcome: 'refused-verification' };
  }
  if (mode === 'denied') {
    const subscription = await ours(feed, callbackId, deps);
    if (!subscription || subscription.topic !== topic) return { response: reply(404), outcome: 'refused-verification' };
    const failures = subscription.failures + 1;
    const reason = (query.get('hub.reason') ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 200);
    await deps.subscriptions.putSubscription({ ...subscription, status: 'denied', failures, lastError: `denied by the hub${reason ? `: ${reason}` : ''}`, retryAt: retryTime(nowIso, failures, deps.policy) }, subscription.version);
    deps.log.warn('websub subscription denied', { feedId: subscription.feedId, hub: subscription.hub, reason });
    return { response: reply(200), outcome: 'denied' };
  }
  return { response: reply(404), outcome: 'refused-verification' };
}

async function push(request: CallbackRequest, feed: FeedDefinition | undefined, callbackId: string, deps: CallbackDeps): Promise<{ response: CallbackResponse; outcome: CallbackOutcome }> {
  const nowIso = deps.clock().toISOString();
  const refuse = async (outcome: PushOutcome, status: number) => {
    // A log line names the feed, the reason and the size: never the body, the signature or the secret.
    deps.log.warn('push refused', { feedId: feed?.id ?? null, reason: outcome, bytes: request.body.byteLength });
    if (feed) await deps.subscriptions.recordPush(feed.id, outcome, nowIso);
    return { response: reply(status), outcome };
  };
  if (!feed) return refuse('unknown-subscription', 410);
  if (request.body.byteLength > (deps.maxBodyBytes ?? MAX_PUSH_BYTES)) return refuse('too-large', 413);
  const subscription = await ours(feed, callbackId, deps);
  // A push for a subscription verified once is taken until the next one replaces it (a hub's
  // clock may run a little past our lease); one never verified, denied or failed is not ours.
  if (!subscription || subscription.status !== 'verified') return refuse('unknown-subscription', 410);
  const signed = checkSignature(request.body, subscription.secret, { signature256: request.headers['x-hub-signature-256'], signature: request.headers['x-hub-signature'] });
  if (signed !== 'ok') return refuse(signed, 403);
  await deps.subscriptions.recordPush(feed.id, 'accepted', nowIso);
  const state = (await deps.store.getFeedStates([feed.id])).get(feed.id);
  if (state && state.consecutiveFailures > 0 && state.nextPollAt && state.nextPollAt > nowIso) {
    deps.log.info('push held: the feed is in backoff', { feedId: feed.id, nextPollAt: state.nextPollAt });
    return { response: reply(202), outcome: 'held' };
  }
  await deps.queue.send([feed]);
  deps.log.info('push accepted', { feedId: feed.id, bytes: request.body.byteLength });
  return { response: reply(202), outcome: 'accepted' };
}
