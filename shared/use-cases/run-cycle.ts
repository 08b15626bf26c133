import type { FeedDefinition, FeedState } from '../domain/types.ts';
import type { Log } from '../ports.ts';
import { describeError } from '../errors.ts';
import { createStoryBatcher, ingestFeed, type IngestDeps, type IngestResult } from './ingest-feed.ts';
import { notifyStory, publishDigest, type NotifyDeps } from './notify-story.ts';
import type { Story } from '../domain/types.ts';
import { KeyedLimiter } from './key-lock.ts';

export interface CycleSummary {
  feeds: { ok: number; notModified: number; failed: number };
  articles: { new: number; duplicate: number; relevant: number };
  stories: { new: number; updated: number };
  alerts: { published: number };
  /** `reason` is the failure's short, stable reason (blocked-address, timeout, ...) when it has one */
  failures: { feed: string; error: string; reason?: string }[];
}

export interface CycleOptions {
  concurrency: number;
  /** requests to one host at once (default 2): publishers are not hammered by a long list */
  perHost?: number;
  /** store and claim, but send nothing (backfills, replays) */
  noAlerts: boolean;
  onFeedDone?: (result: IngestResult, done: number, total: number) => void;
}

/**
 * One local cycle: every feed through the ingest use case (a bounded number at once; one
 * failing feed never stops the others), then the notify use case for each story whose alert
 * level rose. In AWS the same two use cases run in separate Lambdas joined by the table's
 * stream; dynalite has no streams, so here the runner calls notify itself.
 */
export async function runCycle(feeds: FeedDefinition[], deps: IngestDeps & Omit<NotifyDeps, 'log'> & { log: Log }, options: CycleOptions): Promise<CycleSummary> {
  const summary: CycleSummary = {
    feeds: { ok: 0, notModified: 0, failed: 0 },
    articles: { new: 0, duplicate: 0, relevant: 0 },
    stories: { new: 0, updated: 0 },
    alerts: { published: 0 },
    failures: [],
  };
  const risen = new Set<string>();
  const hosts = new KeyedLimiter(options.perHost ?? 2);
  const storyBatcher = deps.storyBatcher ?? createStoryBatcher();
  // Every feed's state in one batched read (100 keys a request), rather than one read per feed.
  const states = await deps.store.getFeedStates(feeds.map((f) => f.id));
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < feeds.length) {
      const feed = feeds[next++] as FeedDefinition;
      let result: IngestResult;
      try {
        // Stories are collected as they are placed: a feed that fails after its articles were
        // placed (its state could not be written) still has its stories notified.
        result = await hosts.run(hostOf(feed.url), () => ingestFeed(feed, { ...deps, storyBatcher, onStories: (outcomes) => outcomes.forEach((o) => o.rose && risen.add(o.story.storyId)) }, { state: states.get(feed.id) }));
      } catch (error) {
        // Store failures and bugs: this feed fails, the cycle goes on.
        deps.log.error('feed ingest crashed', { feedId: feed.id, error: describeError(error) });
        result = { feedId: feed.id, outcome: 'failed', error: describeError(error), items: 0, articles: { new: 0, duplicate: 0, relevant: 0, queued: 0 }, stories: { new: 0, updated: 0 }, changes: [] };
      }
      if (result.outcome === 'ok') summary.feeds.ok++;
      else if (result.outcome === 'not-modified') summary.feeds.notModified++;
      else {
        summary.feeds.failed++;
        summary.failures.push({ feed: feed.id, error: result.error ?? 'unknown error', ...(result.errorReason ? { reason: result.errorReason } : {}) });
      }
      summary.articles.new += result.articles.new;
      summary.articles.duplicate += result.articles.duplicate;
      summary.articles.relevant += result.articles.relevant;
      summary.stories.new += result.stories.new;
      summary.stories.updated += result.stories.updated;
      for (const change of result.changes) if (change.rose) risen.add(change.storyId);
      options.onFeedDone?.(result, ++done, feeds.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, feeds.length)) }, worker));

  const digest: Story[] = [];
  for (const storyId of risen) {
    const story = await deps.store.getStory(storyId);
    if (!story) continue;
    try {
      const outcome = await notifyStory(story, deps, { suppress: options.noAlerts, burstLimit: deps.policy.burstLimit, digest });
      if (outcome === 'published') summary.alerts.published++;
    } catch (error) {
      summary.failures.push({ feed: `alert:${storyId}`, error: describeError(error) });
    }
  }
  try {
    if (await publishDigest(digest, deps)) summary.alerts.published++;
  } catch (error) {
    summary.failures.push({ feed: 'alert:digest', error: describeError(error) });
  }
  summary.failures.sort((a, b) => a.feed.localeCompare(b.feed));
  return summary;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}
