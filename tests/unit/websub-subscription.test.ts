import { createHmac } from 'node:crypto';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WEBSUB_POLICY, checkSignature, grantedLeaseSeconds, nextSubscriptionAction, pollWithPush, renewalMarginMs, retryTime, usableHub, type WebSubPolicy } from '#shared/domain/websub-subscription.ts';
import { callbackRequestFromFunctionUrl } from '#shared/adapters/function-url-callback.ts';
import type { WebSubSubscription } from '#shared/domain/types.ts';

const policy: WebSubPolicy = { ...DEFAULT_WEBSUB_POLICY, intervalMinutes: 5 };
const NOW = '2024-03-01T12:00:00.000Z';
const plus = (minutes: number) => new Date(Date.parse(NOW) + minutes * 60_000).toISOString();
const discovered = { hubs: ['https://hub.example/'], topic: 'https://news.example/feed' };
const sub = (over: Partial<WebSubSubscription> = {}): WebSubSubscription => ({
  feedId: 'news',
  hub: 'https://hub.example/',
  topic: 'https://news.example/feed',
  callbackId: 'a'.repeat(32),
  secret: 'b'.repeat(64),
  status: 'verified',
  requestedAt: plus(-60 * 24),
  verifiedAt: plus(-60 * 24),
  leaseExpiresAt: plus(60 * 24 * 9),
  leaseSeconds: 864_000,
  failures: 0,
  version: 2,
  ...over,
});

describe('WebSub subscription lifecycle', () => {
  it('subscribes a feed that advertises an https hub, and only then', () => {
    expect(nextSubscriptionAction(discovered, undefined, NOW, policy)).toEqual({ kind: 'subscribe', hub: 'https://hub.example/', topic: 'https://news.example/feed', why: 'new' });
    expect(nextSubscriptionAction(undefined, undefined, NOW, policy)).toEqual({ kind: 'none' });
    expect(nextSubscriptionAction({ hubs: ['http://plain.example/'], topic: discovered.topic }, undefined, NOW, policy)).toEqual({ kind: 'none' });
    expect(usableHub(['http://plain.example/', 'https://tls.example/'])).toBe('https://tls.example/');
    expect(usableHub(['http://plain.example/'], true)).toBe('http://plain.example/');
  });

  it('leaves a live lease alone until the renewal margin, then renews, and asks again only after renewRetryMinutes', () => {
    expect(nextSubscriptionAction(discovered, sub(), NOW, policy)).toEqual({ kind: 'none' });
    const nearEnd = sub({ verifiedAt: plus(-60 * 24 * 9), leaseExpiresAt: plus(60 * 23) });
    expect(nextSubscriptionAction(discovered, nearEnd, NOW, policy)).toEqual({ kind: 'renew' });
    expect(nextSubscriptionAction(discovered, { ...nearEnd, renewalRequestedAt: plus(-30) }, NOW, policy)).toEqual({ kind: 'none' });
    expect(nextSubscriptionAction(discovered, { ...nearEnd, renewalRequestedAt: plus(-60) }, NOW, policy)).toEqual({ kind: 'renew' });
  });

  it('sizes the renewal margin at 10 % of the lease, at least two dispatcher runs, at most a day', () => {
    expect(renewalMarginMs(3_600_000, 5)).toBe(600_000);
    expect(renewalMarginMs(36_000_000, 5)).toBe(3_600_000);
    expect(renewalMarginMs(30 * 86_400_000, 5)).toBe(86_400_000);
  });

  it('subscribes afresh when the lease lapsed or the feed moved hub or topic', () => {
    expect(nextSubscriptionAction(discovered, sub({ leaseExpiresAt: plus(-1) }), NOW, policy)).toMatchObject({ kind: 'subscribe', why: 'lapsed' });
    expect(nextSubscriptionAction({ ...discovered, hubs: ['https://other-hub.example/'] }, sub(), NOW, policy)).toMatchObject({ kind: 'subscribe', hub: 'https://other-hub.example/', why: 'hub-changed' });
    expect(nextSubscriptionAction({ ...discovered, topic: 'https://news.example/new-feed' }, sub(), NOW, policy)).toMatchObject({ kind: 'subscribe', why: 'hub-changed' });
  });

  it('gives up on a pending subscription after verifyTimeoutMinutes, and retries denied or failed ones after their backoff', () => {
    expect(nextSubscriptionAction(discovered, sub({ status: 'pending', requestedAt: plus(-29) }), NOW, policy)).toEqual({ kind: 'none' });
    expect(nextSubscriptionAction(discovered, sub({ status: 'pending', requestedAt: plus(-31) }), NOW, policy)).toMatchObject({ kind: 'expire' });
    expect(nextSubscriptionAction(discovered, sub({ status: 'denied', retryAt: plus(1) }), NOW, policy)).toEqual({ kind: 'none' });
    expect(nextSubscriptionAction(discovered, sub({ status: 'failed', retryAt: NOW }), NOW, policy)).toMatchObject({ kind: 'subscribe', why: 'retry' });
    expect([1, 2, 3, 6, 12].map((f) => retryTime(NOW, f, policy))).toEqual([plus(60), plus(120), plus(240), plus(24 * 60), plus(24 * 60)]);
  });

  it('polls a feed with live push only when due and an hour after its last fetch, or on its backoff schedule', () => {
    const state = { nextPollAt: plus(-1), lastFetchedAt: plus(-30), consecutiveFailures: 0 };
    expect(pollWithPush(state, NOW, policy)).toBe(false);
    expect(pollWithPush({ ...state, lastFetchedAt: plus(-58) }, NOW, policy)).toBe(true);
    expect(pollWithPush({ ...state, nextPollAt: plus(1), lastFetchedAt: plus(-120) }, NOW, policy)).toBe(false);
    expect(pollWithPush({ ...state, consecutiveFailures: 2 }, NOW, policy)).toBe(true);
  });

  it('takes the lease a hub grants when it is sane, else the one asked for', () => {
    expect(grantedLeaseSeconds('3600', 864_000)).toBe(3600);
    for (const odd of [null, '', '0', '-5', '1e9', 'ten', '99999999999']) expect(grantedLeaseSeconds(odd, 864_000)).toBe(864_000);
  });
});

describe('push signatures', () => {
  const body = Buffer.from('<rss>pushed</rss>');
  const secret = 'c'.repeat(64);
  const sig = (alg: string, key = secret) => `${alg}=${createHmac(alg, key).update(body).digest('hex')}`;

  it('accepts an HMAC of the raw body in X-Hub-Signature-256, or sha256/384/512 in X-Hub-Signature', () => {
    expect(checkSignature(body, secret, { signature256: sig('sha256') })).toBe('ok');
    expect(checkSignature(body, secret, { signature256: sig('sha256').toUpperCase().replace('SHA256', 'sha256') })).toBe('ok');
    for (const alg of ['sha256', 'sha384', 'sha512']) expect(checkSignature(body, secret, { signature: sig(alg) })).toBe('ok');
  });

  it('refuses unsigned bodies, other keys, other bodies, sha1, truncated and malformed signatures', () => {
    expect(checkSignature(body, secret, {})).toBe('unsigned');
    expect(checkSignature(body, secret, { signature256: '  ' })).toBe('unsigned');
    expect(checkSignature(body, secret, { signature256: sig('sha256', 'other') })).toBe('bad-signature');
    expect(checkSignature(Buffer.from('<rss>changed</rss>'), secret, { signature256: sig('sha256') })).toBe('bad-signature');
    expect(checkSignature(body, secret, { signature: sig('sha1') })).toBe('bad-signature');
    expect(checkSignature(body, secret, { signature256: sig('sha256').slice(0, -2) })).toBe('bad-signature');
    expect(checkSignature(body, secret, { signature256: sig('sha512') })).toBe('bad-signature');
    expect(checkSignature(body, secret, { signature256: 'sha256=zz' })).toBe('bad-signature');
  });
});

describe('Function URL requests as the callback reads them', () => {
  const event = (over: Partial<LambdaFunctionURLEvent>) =>
    ({ rawPath: '/news/abc', rawQueryString: 'hub.mode=subscribe&hub.topic=a%2Cb', headers: { 'X-Hub-Signature-256': 'sha256=00' }, requestContext: { http: { method: 'POST' } }, isBase64Encoded: false, ...over }) as LambdaFunctionURLEvent;

  it('decodes a base64 body to its bytes, takes a text body as UTF-8, and keeps the raw query', () => {
    const bytes = Buffer.from([0xff, 0x00, 0x3c, 0x72]);
    expect(Buffer.from(callbackRequestFromFunctionUrl(event({ body: bytes.toString('base64'), isBase64Encoded: true })).body)).toEqual(bytes);
    const text = callbackRequestFromFunctionUrl(event({ body: '<rss>é</rss>' }));
    expect(Buffer.from(text.body).toString('utf8')).toBe('<rss>é</rss>');
    expect(text).toMatchObject({ method: 'POST', path: '/news/abc', query: 'hub.mode=subscribe&hub.topic=a%2Cb', headers: { 'x-hub-signature-256': 'sha256=00' } });
  });

  it('does not decode a body past the cap: a stand-in one byte over it is refused downstream', () => {
    const big = Buffer.alloc(2048, 1).toString('base64');
    expect(callbackRequestFromFunctionUrl(event({ body: big, isBase64Encoded: true }), 1024).body.byteLength).toBe(1025);
    expect(callbackRequestFromFunctionUrl(event({ body: Buffer.alloc(1024, 1).toString('base64'), isBase64Encoded: true }), 1024).body.byteLength).toBe(1024);
  });
});
