import { describe, it, expect } from 'vitest';
import { isDue, isStale, MAX_BACKOFF_MINUTES, nextPollTime } from '#shared/domain/polling.ts';

const FROM = '2024-01-22T00:00:00.000Z';
const minutesAfter = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

describe('nextPollTime', () => {
  it('waits one interval after a success', () => {
    expect(nextPollTime(FROM, 0, 15)).toBe(minutesAfter(FROM, 15));
  });

  it('doubles the wait with each consecutive failure', () => {
    expect(nextPollTime(FROM, 1, 15)).toBe(minutesAfter(FROM, 30));
    expect(nextPollTime(FROM, 2, 15)).toBe(minutesAfter(FROM, 60));
    expect(nextPollTime(FROM, 3, 15)).toBe(minutesAfter(FROM, 120));
  });

  it('caps the backoff at 24 hours', () => {
    expect(MAX_BACKOFF_MINUTES).toBe(24 * 60);
    expect(nextPollTime(FROM, 7, 15)).toBe(minutesAfter(FROM, 24 * 60));
    expect(nextPollTime(FROM, 50, 15)).toBe(minutesAfter(FROM, 24 * 60));
    expect(nextPollTime(FROM, 5000, 15)).toBe(minutesAfter(FROM, 24 * 60));
  });

  it('returns an ISO timestamp', () => {
    expect(nextPollTime(FROM, 1, 10)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});

describe('isDue', () => {
  it('is due when the feed has never been scheduled', () => {
    expect(isDue(undefined, FROM)).toBe(true);
  });

  it('is due at and after the scheduled time', () => {
    expect(isDue(FROM, FROM)).toBe(true);
    expect(isDue(FROM, minutesAfter(FROM, 1))).toBe(true);
  });

  it('is not due before the scheduled time', () => {
    expect(isDue(minutesAfter(FROM, 1), FROM)).toBe(false);
  });
});

describe('isStale', () => {
  const NOW = '2024-01-22T12:00:00.000Z';
  const hoursBefore = (h: number) => new Date(Date.parse(NOW) - h * 3_600_000).toISOString();

  it('is not stale for a feed that has never been polled', () => {
    expect(isStale(undefined, NOW, 48)).toBe(false);
    expect(isStale({}, NOW, 48)).toBe(false);
  });

  it('is stale when nothing new has arrived for longer than the threshold', () => {
    expect(isStale({ firstPolledAt: hoursBefore(200), lastNewAt: hoursBefore(49) }, NOW, 48)).toBe(true);
  });

  it('is not stale when something new arrived within the threshold', () => {
    expect(isStale({ firstPolledAt: hoursBefore(200), lastNewAt: hoursBefore(47) }, NOW, 48)).toBe(false);
    expect(isStale({ lastNewAt: hoursBefore(48) }, NOW, 48)).toBe(false);
  });

  it('counts from the first poll when the feed has never given anything new', () => {
    expect(isStale({ firstPolledAt: hoursBefore(49) }, NOW, 48)).toBe(true);
    expect(isStale({ firstPolledAt: hoursBefore(1) }, NOW, 48)).toBe(false);
  });
});
