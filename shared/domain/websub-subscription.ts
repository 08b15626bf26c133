import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FeedState, WebSubSubscription } from './types.ts';
import { isDue } from './polling.ts';

/**
 * The life of a WebSub subscription, decided from what is stored and the time (pure; the
 * dispatcher's maintain-subscriptions.ts acts on it, the callback on the verification rules).
 *
 * - A feed whose last body advertised a usable hub gets a subscription: asked (pending), then
 *   verified by the hub's GET to our callback, live until its lease ends.
 * - A live subscription is renewed within RENEW margin of its lease's end (the same callback and
 *   secret, so pushes in flight still verify); a renewal that is not verified is asked again
 *   every `renewRetryMinutes` until the lease lapses.
 * - A subscription not verified within `verifyTimeoutMinutes`, refused by the hub, denied, or
 *   lapsed falls back to polling (the feed never stopped being on the polling schedule) and is
 *   asked again after a backoff: `retryBaseMinutes` doubling per failure, at most `retryMaxMinutes`.
 */
export interface WebSubPolicy {
  /** lease asked for, in seconds (hubs may grant less) */
  leaseSeconds: number;
  /** minutes between dispatcher runs: the renewal margin is never under two of them */
  intervalMinutes: number;
  verifyTimeoutMinutes: number;
  renewRetryMinutes: number;
  retryBaseMinutes: number;
  retryMaxMinutes: number;
  /** while push is live, the feed is still polled, at most this often (a safety net for lost pushes) */
  safetyNetMinutes: number;
  /** use http:// hubs too. The spec has hubs ignore hub.secret sent in clear text, so pushes would come unsigned and be refused: only for tests on 127.0.0.1 */
  insecureHubs?: boolean;
}

/** 10 days: what common hubs grant at most; renewal a day before the end. */
export const DEFAULT_LEASE_SECONDS = 10 * 86_400;

export const DEFAULT_WEBSUB_POLICY: Omit<WebSubPolicy, 'intervalMinutes'> = {
  leaseSeconds: DEFAULT_LEASE_SECONDS,
  verifyTimeoutMinutes: 30,
  renewRetryMinutes: 60,
  retryBaseMinutes: 60,
  retryMaxMinutes: 24 * 60,
  safetyNetMinutes: 60,
};

/** Pushed bodies over this are refused unread (Function URLs take up to 6 MB; a feed notification needs far less). */
export const MAX_PUSH_BYTES = 1024 * 1024;

export type SubscriptionAction =
  | { kind: 'none' }
  | { kind: 'subscribe'; hub: string; topic: string; why: 'new' | 'hub-changed' | 'lapsed' | 'retry' }
  | { kind: 'renew' }
  | { kind: 'expire'; error: string };

/** The hub to use of those a feed advertised: the first https one (or http, for tests). */
export function usableHub(hubs: readonly string[], insecureHubs = false): string | undefined {
  return hubs.find((h) => h.startsWith('https://') || (insecureHubs && h.startsWith('http://')));
}

/** True while the subscription is verified and its lease has not ended: pushes come. */
export function isLive(subscription: WebSubSubscription | undefined, nowIso: string): boolean {
  return subscription?.status === 'verified' && subscription.leaseExpiresAt !== undefined && subscription.leaseExpiresAt > nowIso;
}

/** How long before the lease ends a renewal is asked: 10 % of the lease, at least two dispatcher runs, at most a day. */
export function renewalMarginMs(leaseMs: number, intervalMinutes: number): number {
  return Math.min(86_400_000, Math.max(leaseMs / 10, 2 * intervalMinutes * 60_000));
}

export function nextSubscriptionAction(discovered: FeedState['websub'], subscription: WebSubSubscription | undefined, nowIso: string, policy: WebSubPolicy): SubscriptionAction {
  const hub = discovered ? usableHub(discovered.hubs, policy.insecureHubs) : undefined;
  // A feed that stopped advertising a hub: what is live lapses on its own, nothing is renewed.
  if (!discovered || !hub) return { kind: 'none' };
  const fresh = (why: 'new' | 'hub-changed' | 'lapsed' | 'retry') => ({ kind: 'subscribe' as const, hub, topic: discovered.topic, why });
  if (!subscription) return fresh('new');
  if (subscription.hub !== hub || subscription.topic !== discovered.topic) {
    // The feed moved hub or topic: a fresh subscription. Pushes to the old callback are answered
    // 410 from now on (the callback id changed), which tells the old hub to drop it.
    return fresh('hub-changed');
  }
  const now = Date.parse(nowIso);
  switch (subscription.status) {
    case 'pending':
      return now - Date.parse(subscription.requestedAt) > policy.verifyTimeoutMinutes * 60_000 ? { kind: 'expire', error: `not verified by the hub within ${policy.verifyTimeoutMinutes} minutes` } : { kind: 'none' };
    case 'verified': {
      if (!isLive(subscription, nowIso)) return fresh('lapsed');
      const ends = Date.parse(subscription.leaseExpiresAt as string);
      const lease = ends - Date.parse(subscription.verifiedAt ?? subscription.requestedAt);
      if (ends - now > renewalMarginMs(lease, policy.intervalMinutes)) return { kind: 'none' };
      const asked = subscription.renewalRequestedAt ? Date.parse(subscription.renewalRequestedAt) : undefined;
      return asked === undefined || now - asked >= policy.renewRetryMinutes * 60_000 ? { kind: 'renew' } : { kind: 'none' };
    }
    case 'denied':
    case 'failed':
      return !subscription.retryAt || subscription.retryAt <= nowIso ? fresh('retry') : { kind: 'none' };
  }
}

/** When a subscription that failed `failures` times in a row is asked again. */
export function retryTime(nowIso: string, failures: number, policy: Pick<WebSubPolicy, 'retryBaseMinutes' | 'retryMaxMinutes'>): string {
  const minutes = Math.min(policy.retryMaxMinutes, policy.retryBaseMinutes * 2 ** Math.max(0, failures - 1));
  return new Date(Date.parse(nowIso) + minutes * 60_000).toISOString();
}

/**
 * Whether a feed with live push is polled this dispatcher run: only when its own schedule says so
 * and at most every `safetyNetMinutes` (pushes bring its news; the poll catches a lost one), and
 * never the surge's or a recent relevance's early polls. A failing feed keeps its backoff schedule.
 */
export function pollWithPush(state: Pick<FeedState, 'nextPollAt' | 'lastFetchedAt' | 'consecutiveFailures'> | undefined, nowIso: string, policy: Pick<WebSubPolicy, 'safetyNetMinutes' | 'intervalMinutes'>): boolean {
  if (!isDue(state?.nextPollAt, nowIso)) return false;
  if (!state?.lastFetchedAt || state.consecutiveFailures > 0) return true;
  return Date.parse(nowIso) - Date.parse(state.lastFetchedAt) >= (policy.safetyNetMinutes - policy.intervalMinutes / 2) * 60_000;
}

/** The lease a hub's verification grants, in seconds: its hub.lease_seconds when sane, else what we asked. */
export function grantedLeaseSeconds(value: string | null, asked: number): number {
  if (value === null || !/^\d{1,10}$/.test(value.trim())) return asked;
  const seconds = Number(value.trim());
  // A hub granting nothing, or more than a year, is taken at our word.
  return seconds > 0 && seconds <= 366 * 86_400 ? seconds : asked;
}

export const SIGNATURE_ALGORITHMS = { sha256: 32, sha384: 48, sha512: 64 } as const;

/**
 * Checks a push's signature against the subscription's secret: `X-Hub-Signature-256: sha256=<hex>`
 * or the spec's `X-Hub-Signature: <method>=<hex>` (sha256, sha384, sha512; sha1 is refused as
 * too weak), the HMAC of the raw body, compared in constant time.
 */
export function checkSignature(body: Uint8Array, secret: string, headers: { signature256?: string | undefined; signature?: string | undefined }): 'ok' | 'unsigned' | 'bad-signature' {
  const header = headers.signature256 ?? headers.signature;
  if (!header?.trim()) return 'unsigned';
  const match = /^\s*(sha256|sha384|sha512)=([0-9a-fA-F]+)\s*$/.exec(header);
  if (!match) return 'bad-signature';
  const algorithm = match[1] as keyof typeof SIGNATURE_ALGORITHMS;
  if (headers.signature256 !== undefined && algorithm !== 'sha256') return 'bad-signature';
  const given = Buffer.from(match[2] as string, 'hex');
  if (given.length !== SIGNATURE_ALGORITHMS[algorithm]) return 'bad-signature';
  const expected = createHmac(algorithm, secret).update(body).digest();
  return timingSafeEqual(given, expected) ? 'ok' : 'bad-signature';
}

/** Compares two ids (callback ids) without leaking where they differ through timing. */
export function sameId(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
