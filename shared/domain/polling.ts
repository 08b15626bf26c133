/** Failures back off exponentially from the poll interval, capped so a dead feed is retried daily. */
export const MAX_BACKOFF_MINUTES = 24 * 60;

export function nextPollTime(fromIso: string, consecutiveFailures: number, intervalMinutes: number): string {
  const minutes = consecutiveFailures > 0 ? Math.min(MAX_BACKOFF_MINUTES, intervalMinutes * 2 ** consecutiveFailures) : intervalMinutes;
  return new Date(Date.parse(fromIso) + minutes * 60_000).toISOString();
}

export function isDue(nextPollAt: string | undefined, nowIso: string): boolean {
  return !nextPollAt || nextPollAt <= nowIso;
}
