import { describe, expect, it } from 'vitest';
import { crossesSlot, DYAD_MEMORY_DAYS, pollReason, recordDyads, surgeDyads, SURGE_HOURS, type SurgeContext } from '#shared/domain/surge.ts';
import type { FeedState } from '#shared/domain/types.ts';

const NOW = '2026-03-05T12:00:00.000Z';
const hoursBefore = (h: number, from = NOW) => new Date(Date.parse(from) - h * 3_600_000).toISOString();
const minutesAfter = (m: number, from = NOW) => new Date(Date.parse(from) + m * 60_000).toISOString();
const feed = { id: 'indus-daily' };
const state = (extra: Partial<FeedState> = {}): FeedState => ({ feedId: 'indus-daily', lastStatus: 'ok', consecutiveFailures: 0, nextPollAt: minutesAfter(240), ...extra });
const context = (surging: string[] = [], nowIso = NOW): SurgeContext => ({ nowIso, surging: new Set(surging), intervalMinutes: 5, policy: { relevantDays: 7, relevantMinutes: 30, quietMinutes: 60, surgeDays: 30 } });

describe('surgeDyads', () => {
  const story = (extra: Partial<{ dyad: string; severity: number; alertLevel: number; firstSeen: string }>) => ({ dyad: 'IR-PK', severity: 4, alertLevel: 1, firstSeen: hoursBefore(1), ...extra });

  it('is the dyads of confirmed stories of severity 4 or more first seen in the last 48 hours', () => {
    expect(surgeDyads([story({}), story({ dyad: 'IR-AF', severity: 5 })], NOW)).toEqual(new Set(['IR-PK', 'IR-AF']));
  });

  it('leaves out unconfirmed, milder and older stories, so a surge ends by itself', () => {
    expect(surgeDyads([story({ alertLevel: 0 }), story({ severity: 3 }), story({ firstSeen: hoursBefore(SURGE_HOURS + 0.1) })], NOW)).toEqual(new Set());
    expect(surgeDyads([story({ firstSeen: hoursBefore(SURGE_HOURS - 0.1) })], NOW)).toEqual(new Set(['IR-PK']));
  });
});

describe('recordDyads', () => {
  it('keeps each dyad with the last time the feed carried it', () => {
    const first = recordDyads(undefined, ['IR-PK'], hoursBefore(10));
    expect(recordDyads(first, ['IR-PK', 'IR-AF'], NOW)).toEqual({ 'IR-PK': NOW, 'IR-AF': NOW });
  });

  it('forgets dyads not carried for DYAD_MEMORY_DAYS, and keeps nothing when nothing is left', () => {
    const old = { 'IR-AF': hoursBefore(DYAD_MEMORY_DAYS * 24 + 1) };
    expect(recordDyads(old, ['IR-PK'], NOW)).toEqual({ 'IR-PK': NOW });
    expect(recordDyads(old, [], NOW)).toBeUndefined();
  });
});

describe('pollReason', () => {
  it('polls a feed at its scheduled time, and a feed never polled', () => {
    expect(pollReason(feed, state({ nextPollAt: hoursBefore(0.1) }), context())).toBe('scheduled');
    expect(pollReason(feed, undefined, context())).toBe('scheduled');
  });

  it('leaves a quiet feed with no relevant past to its schedule', () => {
    expect(pollReason(feed, state(), context(['IR-PK']))).toBeNull();
  });

  it('polls every cycle a feed that carried a surging dyad', () => {
    const carried = state({ dyads: { 'IR-PK': hoursBefore(24 * 20) } });
    for (let m = 0; m < 60; m += 5) expect(pollReason(feed, carried, context(['IR-PK'], minutesAfter(m)))).toBe('surge');
    expect(pollReason(feed, carried, context(['IR-AF']))).toBeNull();
  });

  it('surges only the feeds that carried the dyad within surgeDays', () => {
    const carried = state({ dyads: { 'IR-PK': hoursBefore(24 * 20) } });
    const surging = (surgeDays: number): SurgeContext => ({ ...context(['IR-PK']), policy: { relevantDays: 7, relevantMinutes: 30, quietMinutes: 60, surgeDays } });
    expect(pollReason(feed, carried, surging(30))).toBe('surge');
    expect(pollReason(feed, carried, surging(14))).toBeNull();
  });

  it('polls priority feeds every cycle during any surge, and only then', () => {
    expect(pollReason({ ...feed, priority: true }, state(), context(['IR-AF']))).toBe('priority');
    expect(pollReason({ ...feed, priority: true }, state(), context([]))).toBeNull();
  });

  it('never cuts short a backoff or a Retry-After, even in a surge', () => {
    const failing = state({ consecutiveFailures: 2, dyads: { 'IR-PK': hoursBefore(1) } });
    expect(pollReason({ ...feed, priority: true }, failing, context(['IR-PK']))).toBeNull();
  });

  it('polls a recently relevant feed once every relevantMinutes, however slowly it publishes', () => {
    const relevant = state({ dyads: { 'IR-PK': hoursBefore(24) } });
    const polls = Array.from({ length: 36 }, (_, i) => minutesAfter(i * 5)).filter((t) => pollReason(feed, relevant, context([], t)) === 'relevant');
    expect(polls).toHaveLength(6);
    const gaps = polls.slice(1).map((t, i) => (Date.parse(t) - Date.parse(polls[i] as string)) / 60_000);
    expect(gaps.every((g) => g === 30)).toBe(true);
  });

  it('stops polling early once the relevant item is older than a week', () => {
    const old = state({ dyads: { 'IR-PK': hoursBefore(24 * 8) } });
    expect(Array.from({ length: 12 }, (_, i) => pollReason(feed, old, context([], minutesAfter(i * 5)))).every((r) => r === null)).toBe(true);
  });
});

describe('pollReason for quiet feeds', () => {
  const busy = (extra: Partial<FeedState> = {}) => state({ nextPollAt: hoursBefore(0.01), lastFetchedAt: hoursBefore(0.25), ...extra });

  it('holds back a busy feed that never carried the dyad until quietMinutes have passed since its last poll', () => {
    expect(pollReason(feed, busy(), context())).toBeNull();
    expect(pollReason(feed, busy({ lastFetchedAt: hoursBefore(1) }), context())).toBe('scheduled');
  });

  it('does not hold back a feed that carried a dyad, a priority feed, a feed never read or one recovering from failures', () => {
    expect(pollReason(feed, busy({ dyads: { 'IR-PK': hoursBefore(24 * 20) } }), context())).toBe('scheduled');
    expect(pollReason({ ...feed, priority: true }, busy(), context())).toBe('scheduled');
    expect(pollReason(feed, busy({ lastFetchedAt: undefined }), context())).toBe('scheduled');
    expect(pollReason(feed, busy({ consecutiveFailures: 1 }), context())).toBe('scheduled');
  });
});

describe('crossesSlot', () => {
  it('fires once per slot for each feed, at different cycles for different feeds', () => {
    const ticks = Array.from({ length: 12 }, (_, i) => minutesAfter(i * 5));
    const fired = (id: string) => ticks.map((t, i) => (crossesSlot(id, t, 5, 60) ? i : -1)).filter((i) => i >= 0);
    expect(fired('a')).toHaveLength(1);
    expect(fired('b')).toHaveLength(1);
    const spread = new Set(Array.from({ length: 40 }, (_, i) => fired(`feed-${i}`)[0]));
    expect(spread.size).toBeGreaterThan(6);
  });
});
