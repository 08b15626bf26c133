import { randomUUID } from 'node:crypto';
import type { AlertPublisher, Clock, EventStore, Log } from '../ports.ts';
import type { Story } from '../domain/types.ts';
import { buildAlert, buildDigest } from '../domain/alert-text.ts';
import { alertLevelFor, basisOf, type AlertClaim } from '../domain/alert-decision.ts';

export interface NotifyDeps {
  store: EventStore;
  publisher: AlertPublisher;
  clock: Clock;
  log: Log;
  /** a claim older than this whose holder never marked it sent may be taken over */
  leaseSeconds?: number;
}

export type NotifyOutcome = 'published' | 'duplicate' | 'not-alertable' | 'merged' | 'suppressed' | 'held-for-digest';

export interface NotifyOptions {
  /** store the claim as suppressed and send nothing (backfills, --no-alerts) */
  suppress?: boolean;
  /**
   * The burst guard: past this many alerts in a clock hour, stories go into `digest` instead of
   * out one by one, and the caller sends them as one message with publishDigest.
   */
  burstLimit?: number;
  digest?: Story[];
}

const DEFAULT_LEASE_SECONDS = 300;

/**
 * Sends the alert a story's change calls for, at most once.
 *
 * Input: the story as committed (a stream image, or the local runner's copy).
 * Output: what happened.
 * 1. Unconfirmed stories do not alert, nor do stories since merged into another: that one's
 *    write alerts for both (a stream record of the older story may come after the merge).
 * 2. The level comes from what subscribers were told (alert-decision.ts): the claims of the
 *    story and of the stories merged into it. Nothing new to tell: 'duplicate'.
 * 3. Claim ALERT#<storyId>/<level> with a conditional write, keeping what it tells; a held claim
 *    means another delivery of the same change got there first.
 * 4. Build the texts (an update if an earlier alert was sent), publish, mark the claim sent. If
 *    publishing fails the claim is released and the error propagates, so the retry can send it.
 * With `suppress` (backfills, --no-alerts) the claim is written as suppressed and nothing is sent,
 * so a later run never sends it either. A story held for the digest is pushed with the level
 * decided here as its `alertLevel`.
 */
export async function notifyStory(story: Story, deps: NotifyDeps, options: NotifyOptions = {}): Promise<NotifyOutcome> {
  if (story.alertLevel < 1) return 'not-alertable';
  const into = await deps.store.mergedInto(story.storyId);
  if (into) {
    deps.log.info('story merged into another; that one alerts', { storyId: story.storyId, mergedInto: into });
    return 'merged';
  }
  const now = deps.clock().toISOString();
  const lease = deps.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  const claims = await deps.store.alertClaims(toldIds(story));
  const level = alertLevelFor(story, claims, now, lease);
  if (level === null) {
    deps.log.info('nothing new to alert', { storyId: story.storyId });
    return 'duplicate';
  }
  const claimed = await claim(story, level, now, lease, options.suppress ? 'suppressed' : 'claimed', deps);
  if (!claimed) {
    deps.log.info('alert already claimed', { storyId: story.storyId, level });
    return 'duplicate';
  }
  if (options.suppress) return 'suppressed';
  if (options.burstLimit !== undefined && options.digest) {
    const count = await deps.store.countAlert(now.slice(0, 13));
    if (count > options.burstLimit) {
      options.digest.push({ ...story, alertLevel: level });
      return 'held-for-digest';
    }
  }
  // An update only when subscribers had an earlier alert: a story that escalated before its
  // first alert went out (several reports in one cycle) gets a first alert at its current level.
  const alert = ownAlert(story, level, claims);
  let messageId: string;
  try {
    messageId = await deps.publisher.publish(alert);
  } catch (error) {
    await persist('release an alert claim', () => deps.store.releaseAlert(story.storyId, level), deps);
    throw error;
  }
  await persist('mark a published alert sent', () => deps.store.markAlertSent(story.storyId, level, messageId, deps.clock().toISOString()), deps);
  deps.log.info('alert published', { storyId: story.storyId, level, messageId });
  return 'published';
}

/**
 * Claims the alert under a token of this call. A claim whose write went through but was reported
 * failed (a dropped connection) is ours: it is read back, so the alert is not left claimed and unsent.
 */
async function claim(story: Story, level: number, now: string, lease: number, status: 'claimed' | 'suppressed', deps: NotifyDeps): Promise<boolean> {
  const token = randomUUID();
  try {
    return await deps.store.claimAlert(story.storyId, level, now, lease, status, basisOf(story), token);
  } catch (error) {
    const mine = await persist('read back an alert claim', () => deps.store.alertClaims([story.storyId]), deps);
    if (mine.some((c) => c.level === level && c.token === token)) return true;
    throw error;
  }
}

const FOLLOW_UP_ATTEMPTS = 8;

/**
 * The writes and reads that follow a claim, retried here rather than by a redelivery: a
 * redelivery finds the claim held and stops, so a published alert left unmarked could go out
 * again once the lease ends, and a failed one left claimed would wait for it.
 */
async function persist<T>(what: string, call: () => Promise<T>, deps: NotifyDeps): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= FOLLOW_UP_ATTEMPTS) throw error;
      deps.log.warn(`could not ${what}; trying again`, { attempt, error: String(error) });
      await new Promise((r) => setTimeout(r, Math.min(500, 10 * 2 ** attempt)));
    }
  }
}

/** The story and those merged into it: what any of them told counts as told. */
function toldIds(story: Story): string[] {
  return [story.storyId, ...(story.mergedFrom ?? [])];
}

/**
 * One message for the stories the burst guard held back. Their claims are marked sent with the
 * digest's message id; if publishing fails they are released, so a retry sends them again.
 * A digest of one story is that story's own alert: "Digest: 1 events" tells subscribers less.
 */
export async function publishDigest(stories: Story[], deps: NotifyDeps): Promise<string | null> {
  if (!stories.length) return null;
  const only = stories.length === 1 ? (stories[0] as Story) : null;
  const alert = only ? ownAlert(only, only.alertLevel, await deps.store.alertClaims(toldIds(only))) : buildDigest(stories);
  let messageId: string;
  try {
    messageId = await deps.publisher.publish(alert);
  } catch (error) {
    for (const s of stories) await persist('release an alert claim', () => deps.store.releaseAlert(s.storyId, s.alertLevel), deps);
    throw error;
  }
  const now = deps.clock().toISOString();
  for (const s of stories) await persist('mark a published alert sent', () => deps.store.markAlertSent(s.storyId, s.alertLevel, messageId, now), deps);
  deps.log.info('digest published', { stories: stories.length, messageId });
  return messageId;
}

/** The story's alert at this level: an update only when subscribers had an earlier one. */
function ownAlert(story: Story, level: number, claims: readonly AlertClaim[]) {
  const update = claims.some((c) => c.status === 'sent' && !(c.storyId === story.storyId && c.level >= level));
  return buildAlert(story, level, { update });
}
