/**
 * When to poll a feed next (Miniflux's model): after a success, about as often as the feed
 * publishes (the median gap between its newest items), never sooner than the configured interval
 * or the server's cache lifetime, never later than MAX_POLL_MINUTES; after failures, exponential
 * backoff from the interval, capped at a day; never sooner than a Retry-After.
 */
export const MAX_BACKOFF_MINUTES = 24 * 60;
export const MAX_POLL_MINUTES = 6 * 60;

export interface PollHints {
  /** publish times of the feed's items, as the feed gave them */
  itemTimes?: string[];
  /** Cache-Control max-age or Expires, in seconds */
  cacheMaxAgeSeconds?: number;
  /** Retry-After of a 429/503, in seconds */
  retryAfterSeconds?: number;
}

export function nextPollTime(fromIso: string, consecutiveFailures: number, intervalMinutes: number, hints: PollHints = {}): string {
  let minutes: number;
  if (consecutiveFailures > 0) {
    minutes = Math.min(MAX_BACKOFF_MINUTES, intervalMinutes * 2 ** consecutiveFailures);
  } else {
    const gap = medianGapMinutes(hints.itemTimes ?? []);
    minutes = Math.min(MAX_POLL_MINUTES, Math.max(intervalMinutes, gap ?? intervalMinutes, (hints.cacheMaxAgeSeconds ?? 0) / 60));
  }
  if (hints.retryAfterSeconds !== undefined) minutes = Math.max(minutes, hints.retryAfterSeconds / 60);
  return new Date(Date.parse(fromIso) + Math.round(minutes * 60_000)).toISOString();
}

/** Median gap between the ten newest distinct publish times; null with fewer than three. */
export function medianGapMinutes(times: string[]): number | null {
  const sorted = [...new Set(times.map((t) => Date.parse(t)).filter((t) => Number.isFinite(t)))].sort((a, b) => b - a).slice(0, 10);
  if (sorted.length < 3) return null;
  const gaps = sorted.slice(1).map((t, i) => ((sorted[i] as number) - t) / 60_000).sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] ?? null;
}

export function isDue(nextPollAt: string | undefined, nowIso: string): boolean {
  return !nextPollAt || nextPollAt <= nowIso;
}

/** A feed that has been polled but has given nothing new for `staleAfterHours` (never-polled feeds are not stale yet). */
export function isStale(state: { firstPolledAt?: string; lastNewAt?: string } | undefined, nowIso: string, staleAfterHours: number): boolean {
  const since = state?.lastNewAt ?? state?.firstPolledAt;
  if (!since) return false;
  return Date.parse(nowIso) - Date.parse(since) > staleAfterHours * 3_600_000;
}
