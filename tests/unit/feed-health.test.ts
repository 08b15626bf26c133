import { describe, expect, it } from 'vitest';
import { byConcern, feedHealth, needsAttention } from '#shared/domain/feed-health.ts';
import type { FeedDefinition, FeedState, WebSubSubscription } from '#shared/domain/types.ts';

const NOW = '2026-12-06T12:00:00.000Z';
const hoursAgo = (h: number) => new Date(Date.parse(NOW) - h * 3_600_000).toISOString();
const feed: FeedDefinition = { id: 'dawn-world', url: 'https://www.dawn.com/feeds/world', outlet: 'Dawn', language: 'en' };
const state = (over: Partial<FeedState> = {}): FeedState => ({ feedId: feed.id, lastStatus: 'ok', consecutiveFailures: 0, firstPolledAt: hoursAgo(100), lastFetchedAt: hoursAgo(0.1), lastSuccessAt: hoursAgo(0.1), lastNewAt: hoursAgo(2), nextPollAt: hoursAgo(-0.1), ...over });
const subscription = (over: Partial<WebSubSubscription> = {}): WebSubSubscription => ({ feedId: feed.id, hub: 'https://hub.example/', topic: feed.url, callbackId: 'cb', secret: 'ab'.repeat(32), status: 'verified', requestedAt: hoursAgo(30), leaseSeconds: 864_000, verifiedAt: hoursAgo(29), leaseExpiresAt: hoursAgo(-100), failures: 0, version: 3, ...over });

describe('feedHealth', () => {
  it('is ok for a feed read lately that brought something new within the stale window', () => {
    const h = feedHealth(feed, state(), undefined, NOW, 48);
    expect(h).toMatchObject({ feedId: 'dawn-world', outlet: 'Dawn', status: 'ok', lastStatus: 'ok', consecutiveFailures: 0, nextPollAt: hoursAgo(-0.1) });
    expect(h.push).toBeUndefined();
    expect(needsAttention(h)).toBe(false);
  });

  it('is never-polled without a state, or with one that was never polled', () => {
    expect(feedHealth(feed, undefined, undefined, NOW, 48)).toMatchObject({ status: 'never-polled', lastStatus: 'never', consecutiveFailures: 0, dyads: [] });
    expect(feedHealth(feed, state({ lastStatus: 'never' }), undefined, NOW, 48).status).toBe('never-polled');
  });

  it('is failing, with the reason and error, when its last poll failed; a past failure leaves no reason on an ok feed', () => {
    const failing = feedHealth(feed, state({ lastStatus: 'failed', consecutiveFailures: 4, lastErrorReason: 'timeout', lastError: 'timed out after 15 s' }), undefined, NOW, 48);
    expect(failing).toMatchObject({ status: 'failing', consecutiveFailures: 4, lastErrorReason: 'timeout', lastError: 'timed out after 15 s' });
    expect(needsAttention(failing)).toBe(true);
    const recovered = feedHealth(feed, state({ lastErrorReason: 'timeout', lastError: 'old' }), undefined, NOW, 48);
    expect(recovered.lastError).toBeUndefined();
  });

  it('is stale when nothing new came for the stale window, by the given hours', () => {
    expect(feedHealth(feed, state({ lastNewAt: hoursAgo(49) }), undefined, NOW, 48).status).toBe('stale');
    expect(feedHealth(feed, state({ lastNewAt: hoursAgo(49) }), undefined, NOW, 72).status).toBe('ok');
  });

  it('lists the dyads it carried, the most recent first', () => {
    expect(feedHealth(feed, state({ dyads: { 'AF-PK': hoursAgo(50), 'IR-PK': hoursAgo(3) } }), undefined, NOW, 48).dyads).toEqual(['IR-PK', 'AF-PK']);
  });

  it('gives the push status from the subscription, and never its secret', () => {
    const live = feedHealth(feed, state(), subscription(), NOW, 48);
    expect(live.push).toEqual({ status: 'live', hub: 'https://hub.example/', leaseExpiresAt: hoursAgo(-100) });
    expect(JSON.stringify(live)).not.toContain('ab'.repeat(32));
    expect(feedHealth(feed, state(), subscription({ leaseExpiresAt: hoursAgo(1) }), NOW, 48).push?.status).toBe('lapsed');
    const denied = feedHealth(feed, state(), subscription({ status: 'denied', leaseExpiresAt: undefined, lastError: 'hub denied: topic not allowed', retryAt: hoursAgo(-5) }), NOW, 48);
    expect(denied.push).toEqual({ status: 'denied', hub: 'https://hub.example/', lastError: 'hub denied: topic not allowed', retryAt: hoursAgo(-5) });
    expect(needsAttention(denied)).toBe(true);
    expect(feedHealth(feed, state(), subscription({ status: 'pending', leaseExpiresAt: undefined }), NOW, 48).push?.status).toBe('pending');
  });

  it('shows a hub the feed advertises that has no subscription', () => {
    const h = feedHealth(feed, state({ websub: { hubs: ['https://pubsubhubbub.appspot.com/'], topic: feed.url } }), undefined, NOW, 48);
    expect(h.push).toEqual({ status: 'advertised', hub: 'https://pubsubhubbub.appspot.com/' });
    expect(needsAttention(h)).toBe(false);
  });
});

describe('byConcern', () => {
  it('puts failing, then stale, then never-polled, then ok feeds first, each by id', () => {
    const row = (id: string, s: FeedState | undefined) => feedHealth({ ...feed, id }, s, undefined, NOW, 48);
    const rows = [row('a-ok', state()), row('b-never', undefined), row('c-stale', state({ lastNewAt: hoursAgo(60) })), row('d-failing', state({ lastStatus: 'failed', consecutiveFailures: 1 })), row('a-failing', state({ lastStatus: 'failed', consecutiveFailures: 2 }))];
    expect(rows.sort(byConcern).map((r) => r.feedId)).toEqual(['a-failing', 'd-failing', 'c-stale', 'b-never', 'a-ok']);
  });
});
