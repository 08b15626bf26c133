/** Failures back off exponentially from the poll interval, capped so a dead feed is retried daily. */
export const MAX_BACKOFF_MINUTES = 24 * 60;

export function nextPollTime(fromIso: string, consecutiveFailures: number, intervalMinutes: number): string {
  const minutes = consecutiveFailures > 0 ? Math.min(MAX_BACKOFF_MINUTES, intervalMinutes * 2 ** consecutiveFailures) : intervalMinutes;
  return new Date(Date.parse(fromIso) + minutes * 60_000).toISOString();
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
