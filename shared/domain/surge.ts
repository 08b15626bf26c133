import type { FeedDefinition, FeedState, Story } from './types.ts';
import { isDue } from './polling.ts';

/**
 * Polling beyond the adaptive schedule (polling.ts), where a delay costs most:
 * - a surge: while a dyad has a confirmed story of severity >= SURGE_MIN_SEVERITY first seen in
 *   the last SURGE_HOURS, every feed that has carried that dyad's events (within `surgeDays`;
 *   the default keeps the whole record), and every feed flagged `priority`, is polled every
 *   cycle. It ends by itself when the story ages out of the window;
 * - a feed that carried a relevant item in the last `relevantDays` is polled at least once every
 *   `relevantMinutes`, whatever its own publishing rate;
 * - a feed that has carried none of any dyad for DYAD_MEMORY_DAYS (once it has been read) is
 *   polled at most once every `quietMinutes`, however busy it is: its polls pay for the others.
 * Backoff and Retry-After stand: a feed with failures keeps its scheduled time. Early polls are
 * conditional GETs like any other, so an unchanged feed costs its publisher a 304.
 */
export const SURGE_MIN_SEVERITY = 4;
export const SURGE_HOURS = 48;
/** how long a feed's record of the dyads it carried is kept */
export const DYAD_MEMORY_DAYS = 30;

export interface SurgePolicy {
  /** a feed that carried a relevant item within this many days is recently relevant ... */
  relevantDays: number;
  /** ... and polled at least this often */
  relevantMinutes: number;
  /** a feed that carried nothing relevant for DYAD_MEMORY_DAYS is polled at most this often */
  quietMinutes: number;
  /** a surge polls every cycle the feeds that carried the dyad within this many days */
  surgeDays: number;
}
export const DEFAULT_SURGE_POLICY: SurgePolicy = { relevantDays: 7, relevantMinutes: 5, quietMinutes: 120, surgeDays: DYAD_MEMORY_DAYS };

export type PollReason = 'scheduled' | 'surge' | 'priority' | 'relevant';

export interface SurgeContext {
  nowIso: string;
  /** dyads in a surge now (surgeDyads) */
  surging: ReadonlySet<string>;
  /** minutes between dispatcher runs */
  intervalMinutes: number;
  policy?: SurgePolicy;
}

/** The dyads with a confirmed story of severity >= SURGE_MIN_SEVERITY first seen in the last SURGE_HOURS. */
export function surgeDyads(stories: readonly Pick<Story, 'dyad' | 'severity' | 'alertLevel' | 'firstSeen'>[], nowIso: string): Set<string> {
  const since = new Date(Date.parse(nowIso) - SURGE_HOURS * 3_600_000).toISOString();
  return new Set(stories.filter((s) => s.alertLevel >= 1 && s.severity >= SURGE_MIN_SEVERITY && s.firstSeen >= since && s.firstSeen <= nowIso).map((s) => s.dyad));
}

/** The window the dispatcher queries stories over to find the surging dyads. */
export function surgeWindow(nowIso: string): { since: string; until: string } {
  return { since: new Date(Date.parse(nowIso) - SURGE_HOURS * 3_600_000).toISOString(), until: nowIso };
}

/**
 * A feed's record of the dyads it carried (dyad -> last time a relevant article of it was read),
 * after a poll that read relevant articles of `dyads`; entries older than DYAD_MEMORY_DAYS go.
 * Undefined when there is nothing to keep.
 */
export function recordDyads(previous: Readonly<Record<string, string>> | undefined, dyads: readonly string[], atIso: string): Record<string, string> | undefined {
  const forgetBefore = new Date(Date.parse(atIso) - DYAD_MEMORY_DAYS * 86_400_000).toISOString();
  const next: Record<string, string> = {};
  for (const [dyad, at] of Object.entries(previous ?? {})) if (at >= forgetBefore) next[dyad] = at;
  for (const dyad of dyads) if (dyad) next[dyad] = atIso;
  return Object.keys(next).length ? next : undefined;
}

/** Why the feed should be polled this cycle, or null when it should not. */
export function pollReason(feed: Pick<FeedDefinition, 'id' | 'priority'>, state: Pick<FeedState, 'nextPollAt' | 'consecutiveFailures' | 'dyads' | 'lastFetchedAt'> | undefined, context: SurgeContext): PollReason | null {
  const policy = context.policy ?? DEFAULT_SURGE_POLICY;
  const carried = state?.dyads ?? {};
  if (isDue(state?.nextPollAt, context.nowIso)) {
    const quiet = !feed.priority && !Object.keys(carried).length && state?.lastFetchedAt !== undefined && state.consecutiveFailures === 0;
    if (quiet && Date.parse(context.nowIso) - Date.parse(state.lastFetchedAt as string) < (policy.quietMinutes - context.intervalMinutes / 2) * 60_000) return null;
    return 'scheduled';
  }
  // Backoff after failures and a server's Retry-After are never cut short.
  if (!state || state.consecutiveFailures > 0) return null;
  const surgeSince = new Date(Date.parse(context.nowIso) - policy.surgeDays * 86_400_000).toISOString();
  if (Object.entries(carried).some(([d, at]) => context.surging.has(d) && at >= surgeSince)) return 'surge';
  if (feed.priority && context.surging.size) return 'priority';
  const relevantSince = new Date(Date.parse(context.nowIso) - policy.relevantDays * 86_400_000).toISOString();
  const relevant = Object.values(carried).some((at) => at >= relevantSince);
  const { relevantMinutes } = policy;
  if (relevant && relevantMinutes > context.intervalMinutes && crossesSlot(feed.id, context.nowIso, context.intervalMinutes, relevantMinutes)) return 'relevant';
  if (relevant && relevantMinutes <= context.intervalMinutes) return 'relevant';
  return null;
}

/**
 * True on the one dispatcher run of each `slotMinutes` window of this feed: the window edge
 * (offset by a hash of the feed id, so feeds spread over the cycles) fell since the last run.
 * Stateless: nothing is written to know when a feed was last polled early.
 */
export function crossesSlot(feedId: string, nowIso: string, intervalMinutes: number, slotMinutes: number): boolean {
  const slot = slotMinutes * 60_000;
  const offset = hash(feedId) % slot;
  const now = Date.parse(nowIso) - offset;
  return Math.floor(now / slot) !== Math.floor((now - intervalMinutes * 60_000) / slot);
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
