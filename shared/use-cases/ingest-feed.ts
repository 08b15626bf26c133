import type { Clock, EventStore, FeedFetcher, FeedParser, Log, StoryQueue } from '../ports.ts';
import type { FeedDefinition, FeedState } from '../domain/types.ts';
import type { Classifier } from '../domain/classify.ts';
import type { LazyClassifier } from '../lazy-classifier.ts';
import type { AlertPolicy } from '../config.ts';
import { MAX_POLL_MINUTES, nextPollTime } from '../domain/polling.ts';
import { nextSeen } from '../domain/seen-items.ts';
import { recordDyads } from '../domain/surge.ts';
import type { PreparedItems } from '../domain/prepare-items.ts';
import { KeyBatcher } from './key-lock.ts';
import { FetchError, ParseError, describeError } from '../errors.ts';
import type { PendingArticle, StoryOutcome } from './form-stories.ts';
import { loadOnce } from '../load-once.ts';

export interface IngestDeps {
  fetcher: FeedFetcher;
  parser: FeedParser;
  store: EventStore;
  /**
   * Classifies the items a parser hands over unprepared (with a preparing parser, only those the
   * lenient reader salvaged). A LazyClassifier is built when a feed first brings such items.
   */
  classify: Classifier | LazyClassifier;
  clock: Clock;
  log: Log;
  policy: AlertPolicy;
  pollIntervalMinutes: number;
  /** batches story upserts per dyad in this process (group commit); share one across concurrent ingests */
  storyBatcher?: StoryBatcher;
  /**
   * Where relevant articles go to be placed in stories by one writer per dyad (AWS: the story
   * FIFO queue). Without it they are placed here, serialised per dyad by the story batcher.
   */
  storyQueue?: StoryQueue;
  /**
   * Told of every story placement as soon as the stories are written, before the rest of the
   * ingest (which may still fail): a caller that notifies from it misses no story when the feed
   * is retried. Ingests sharing a story batcher must pass equivalent ones (see KeyBatcher).
   */
  onStories?: (outcomes: StoryOutcome[]) => void;
}

export type { PendingArticle, StoryOutcome } from './form-stories.ts';
export type StoryBatcher = KeyBatcher<PendingArticle, StoryOutcome>;

export function createStoryBatcher(): StoryBatcher {
  return new KeyBatcher<PendingArticle, StoryOutcome>();
}

/** The classifier to prepare `count` unprepared items with; a lazy one is not built for none (a feed with no items). */
async function classifierFor(count: number, classify: IngestDeps['classify']): Promise<Classifier> {
  if (typeof classify === 'function') return classify;
  return count ? classify.load() : NOTHING_TO_CLASSIFY;
}

const NOTHING_TO_CLASSIFY: Classifier = () => {
  throw new Error('prepareItems classified an item of an empty list');
};

/**
 * What only a feed with a body needs (text to plain text, normalising, and entities under both),
 * imported on the first one: a Lambda whose feeds all answer 304 never reads it. A failed import
 * is not kept: the next feed tries again.
 */
const bodyHelpers = loadOnce(async () => {
  const [text, prepare] = await Promise.all([import('../domain/text.ts'), import('../domain/prepare-items.ts')]);
  return { ...text, ...prepare };
});

/** Without a batcher from the caller: one per store, so concurrent ingests on one table share it. */
const defaultBatchers = new WeakMap<EventStore, StoryBatcher>();
function batcherFor(deps: IngestDeps): StoryBatcher {
  if (deps.storyBatcher) return deps.storyBatcher;
  let batcher = defaultBatchers.get(deps.store);
  if (!batcher) defaultBatchers.set(deps.store, (batcher = createStoryBatcher()));
  return batcher;
}

export interface StoryChange {
  storyId: string;
  /** the alert level after this ingest */
  level: number;
  /** true when this ingest raised the level */
  rose: boolean;
}

export interface IngestResult {
  feedId: string;
  outcome: 'ok' | 'not-modified' | 'failed';
  error?: string;
  /** for failures: a short, stable reason (timeout, http-status, parse, rate-limited, blocked-address, ...) */
  errorReason?: string;
  /** how the items were read (rss-parser, lenient, salvaged, ...) */
  parsePath?: string;
  items: number;
  articles: { new: number; duplicate: number; relevant: number; queued: number };
  stories: { new: number; updated: number };
  changes: StoryChange[];
}

/**
 * Ingests one feed.
 *
 * Input: a feed definition. Output: what happened, with the stories that may have news to alert
 * (placed here; with a story queue, the story function reports them).
 * 1. Fetch with the stored validators; a 304 ends here.
 * 2. Parse, normalise, and drop the items this feed showed last time (its seen set): they cost
 *    nothing, not even a read.
 * 3. Classify each new item. Irrelevant ones are not stored. Relevant ones not already stored by
 *    another feed (one batched read) go to story formation (form-stories.ts), one writer per
 *    dyad: through the story queue (AWS), or here through the per-dyad batcher. It stores each
 *    article once its story holds it.
 * 4. Record the feed's state: validators, health, next poll time and the new seen set. It is
 *    written last, so a feed that fails half-way is read again in full next time: nothing lost.
 * A failed fetch or parse is a defined outcome recorded in the feed state, not an exception;
 * store errors propagate so the caller can retry the feed.
 */
export async function ingestFeed(feed: FeedDefinition, deps: IngestDeps, known?: { state: FeedState | undefined }): Promise<IngestResult> {
  const { store, clock, log } = deps;
  const result: IngestResult = { feedId: feed.id, outcome: 'ok', items: 0, articles: { new: 0, duplicate: 0, relevant: 0, queued: 0 }, stories: { new: 0, updated: 0 }, changes: [] };
  // A caller that read many feeds' states in one batch passes this feed's in (`known`).
  const stored = known ? known.state : (await store.getFeedStates([feed.id])).get(feed.id);
  const previous: FeedState = stored ? { ...stored } : { feedId: feed.id, lastStatus: 'never', consecutiveFailures: 0 };
  const fetchedAt = clock().toISOString();
  previous.firstPolledAt ??= fetchedAt;

  let fetched;
  let prepared: PreparedItems;
  let outlet = feed.outlet;
  try {
    fetched = await deps.fetcher.fetch(feed, { ...(previous.etag ? { etag: previous.etag } : {}), ...(previous.lastModified ? { lastModified: previous.lastModified } : {}) });
    if (fetched.status === 'not-modified') {
      result.outcome = 'not-modified';
      // Polled before it was due (a local cycle polls every feed) and nothing changed: the stored
      // schedule stands and nothing is written. When it was due, the schedule moves on by the
      // feed's own interval, so a slow feed stays slow after a 304.
      const unchanged = previous.lastStatus !== 'failed' && previous.lastStatus !== 'never' && previous.consecutiveFailures === 0 && (fetched.etag ?? previous.etag) === previous.etag && (fetched.lastModified ?? previous.lastModified) === previous.lastModified;
      if (unchanged && previous.nextPollAt !== undefined && previous.nextPollAt > fetchedAt) return result;
      const lastInterval = previous.nextPollAt && previous.lastFetchedAt ? (Date.parse(previous.nextPollAt) - Date.parse(previous.lastFetchedAt)) / 60_000 : deps.pollIntervalMinutes;
      await store.putFeedState({
        ...previous,
        etag: fetched.etag ?? previous.etag,
        lastModified: fetched.lastModified ?? previous.lastModified,
        lastStatus: 'not-modified',
        lastFetchedAt: fetchedAt,
        lastSuccessAt: fetchedAt,
        consecutiveFailures: 0,
        nextPollAt: nextPollTime(fetchedAt, 0, Math.min(MAX_POLL_MINUTES, Math.max(deps.pollIntervalMinutes, lastInterval)), { ...(fetched.cacheMaxAgeSeconds !== undefined ? { cacheMaxAgeSeconds: fetched.cacheMaxAgeSeconds } : {}) }),
      });
      return result;
    }
    const context = { feed, fetchedAt, ...(previous.seen ? { seen: previous.seen } : {}) };
    const [parsed, { toPlainText, prepareItems }] = await Promise.all([deps.parser.parse(fetched.body, context), bodyHelpers()]);
    if (parsed.path) result.parsePath = parsed.path;
    // Feeds named on the command line have no outlet: the feed's own title names it.
    // It is feed text like any other: plain text only (a title may carry markup).
    outlet ||= toPlainText(parsed.title, 100) || hostOf(feed.url);
    // A parser that prepared the items beside the parse (its worker threads) hands them over.
    prepared = parsed.prepared ?? prepareItems(parsed.items, context, await classifierFor(parsed.items.length, deps.classify));
  } catch (error) {
    if (!(error instanceof FetchError) && !(error instanceof ParseError)) throw error;
    const failures = previous.consecutiveFailures + 1;
    result.outcome = 'failed';
    result.error = describeError(error);
    result.errorReason = error instanceof FetchError ? error.reason : 'parse';
    log.warn('feed failed', { feedId: feed.id, error: result.error, reason: result.errorReason, consecutiveFailures: failures });
    await store.putFeedState({
      ...previous,
      lastStatus: 'failed',
      lastFetchedAt: fetchedAt,
      lastError: result.error,
      lastErrorReason: result.errorReason,
      consecutiveFailures: failures,
      nextPollAt: nextPollTime(fetchedAt, failures, deps.pollIntervalMinutes, error instanceof FetchError && error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    });
    return result;
  }

  const { stamps, relevant, irrelevant } = prepared;
  result.items = stamps.length;
  result.articles.duplicate = stamps.length - relevant.length - irrelevant;
  // Most items are not about the dyad: they are counted as new and remembered in the seen set only.
  result.articles.new = irrelevant;
  const storedIds = relevant.length ? await store.existingArticleIds(relevant.map((c) => c.item.articleId)) : new Set<string>();
  const now = clock();
  const alertableAfter = now.getTime() - deps.policy.maxAlertAgeHours * 3_600_000;
  const changes = new Map<string, StoryChange>();
  const pending: PendingArticle[] = [];
  for (const { item, classification } of relevant) {
    if (storedIds.has(item.articleId)) {
      result.articles.duplicate++;
      continue;
    }
    pending.push({ article: { ...item, feedId: feed.id, outlet, language: feed.language, fetchedAt, classification, storyId: null }, alertable: Date.parse(item.publishedAt) >= alertableAfter });
  }
  if (deps.storyQueue) {
    // One writer per dyad places them (and stores them once placed); a failed send throws, so
    // the feed is read again in full: nothing is lost.
    await deps.storyQueue.send(pending);
    result.articles.queued = pending.length;
  } else {
    // Stories first, then the articles: an article is stored only once its story holds it.
    const byDyad = new Map<string, PendingArticle[]>();
    for (const p of pending) {
      const dyad = p.article.classification.dyad ?? '';
      byDyad.set(dyad, [...(byDyad.get(dyad) ?? []), p]);
    }
    // Imported here: the Lambda always has a story queue, and its cold start need not read story formation.
    const { formStories } = byDyad.size ? await import('./form-stories.ts') : { formStories: null };
    for (const [dyad, group] of byDyad) {
      const outcomes = await batcherFor(deps).run(dyad, group, (batch) => (formStories as NonNullable<typeof formStories>)(batch, deps));
      outcomes.forEach(({ story, kind, rose, stored }) => {
        if (kind === 'new') result.stories.new++;
        if (kind === 'updated') result.stories.updated++;
        if (stored) {
          result.articles.new++;
          result.articles.relevant++;
        } else result.articles.duplicate++;
        const prior = changes.get(story.storyId);
        changes.set(story.storyId, { storyId: story.storyId, level: Math.max(story.alertLevel, prior?.level ?? 0), rose: rose || (prior?.rose ?? false) });
      });
    }
  }
  result.changes = [...changes.values()];
  // WebSub: the hub and topic the feed advertises, for the dispatcher to subscribe through
  // (maintain-subscriptions.ts). The discovery module loads only for a body or header that names
  // a hub at all; most feeds never do, and the ingest cold start does not read it.
  const websub = MAY_ADVERTISE_HUB.test(fetched.link ?? '') || MAY_ADVERTISE_HUB.test(fetched.body) ? (await import('../domain/websub-discovery.ts')).discoverWebSub({ body: fetched.body, url: fetched.finalUrl, ...(fetched.link ? { linkHeader: fetched.link } : {}) }) : null;

  await store.putFeedState({
    ...previous,
    ...(fetched.etag ? { etag: fetched.etag } : {}),
    ...(fetched.lastModified ? { lastModified: fetched.lastModified } : {}),
    lastStatus: 'ok',
    lastFetchedAt: fetchedAt,
    lastSuccessAt: fetchedAt,
    ...(result.articles.new > 0 ? { lastNewAt: fetchedAt } : {}),
    ...(result.parsePath ? { lastParsePath: result.parsePath } : {}),
    consecutiveFailures: 0,
    lastError: undefined,
    lastErrorReason: undefined,
    seen: nextSeen(stamps),
    // which dyads this feed carries: the dispatcher's surge polls it (surge.ts)
    dyads: relevant.length ? recordDyads(previous.dyads, relevant.map((c) => c.classification.dyad ?? ''), fetchedAt) : previous.dyads,
    websub: websub ?? undefined,
    nextPollAt: nextPollTime(fetchedAt, 0, deps.pollIntervalMinutes, {
      itemTimes: stamps.filter((i) => i.publishedFromFeed).map((i) => i.publishedAt),
      ...(fetched.cacheMaxAgeSeconds !== undefined ? { cacheMaxAgeSeconds: fetched.cacheMaxAgeSeconds } : {}),
    }),
  });
  log.info('feed ingested', { feedId: feed.id, items: result.items, ...result.articles });
  return result;
}

/** A rel attribute or parameter naming a hub (rel="hub", rel='alternate hub', rel=hub): without one, a feed advertises none. */
const MAY_ADVERTISE_HUB = /\brel\s*=\s*["']?[a-z ]*\bhub\b/i;

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'file:' ? (u.pathname.split('/').pop() ?? 'local file') : u.host;
  } catch {
    return url;
  }
}
