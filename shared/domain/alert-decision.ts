import type { EventType, Story, StoryStatus } from './types.ts';
import { ESCALATING } from './story-policy.ts';

/** What subscribers were told of a story at one level: kept with the alert's claim. */
export interface AlertBasis {
  severity: number;
  types: EventType[];
  status?: StoryStatus;
}

/** An alert claim as stored: ALERT#<storyId>/<level>. */
export interface AlertClaim {
  storyId: string;
  level: number;
  status: 'claimed' | 'sent' | 'suppressed';
  claimedAt: string;
  /** absent on claims stored before it was kept */
  basis?: AlertBasis;
  /** who claimed it (one notify call), so a claim whose write was acknowledged late is known as its own */
  token?: string;
}


export function basisOf(story: Story): AlertBasis {
  return { severity: story.severity, types: [...story.types], ...(story.status ? { status: story.status } : {}) };
}

/**
 * The level to alert a confirmed story at, or null when subscribers were already told all of it.
 *
 * Decided from what was told (the story's claims, and those of the stories merged into it), not
 * from the path the story took: a story whose reports came in one order or another, one batch or
 * several, gets the same alerts. Nothing told yet: level 1. Told: one level above the highest
 * told, if the story now says more than all that was told together: a higher severity, a new
 * serious type (strike, recall, border incident), or an announced event newly postponed or
 * cancelled. A claim past its lease whose holder never sent it does not count as told.
 */
export function alertLevelFor(story: Story, claims: readonly AlertClaim[], now: string, leaseSeconds: number): number | null {
  if (story.alertLevel < 1) return null;
  const cutoff = Date.parse(now) - leaseSeconds * 1000;
  const told = claims.filter((c) => c.status !== 'claimed' || Date.parse(c.claimedAt) >= cutoff);
  if (!told.length) return 1;
  const top = Math.max(...told.map((c) => c.level));
  const bases = told.map((c) => c.basis);
  // Claims from before the basis was kept: the story's own level says whether it rose since.
  if (bases.some((b) => !b)) return story.alertLevel > top ? top + 1 : null;
  const known = bases as AlertBasis[];
  const severity = Math.max(...known.map((b) => b.severity));
  const types = new Set(known.flatMap((b) => b.types));
  const statuses = new Set(known.map((b) => b.status));
  const escalated = story.severity > severity || story.types.some((t) => ESCALATING.has(t) && !types.has(t));
  const derailed = (story.status === 'cancelled' || story.status === 'postponed') && !statuses.has(story.status);
  return escalated || derailed ? top + 1 : null;
}
