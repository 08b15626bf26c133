import type { Clock, EventStore, FeedFetcher, FeedParser, Log } from '../ports.ts';
import type { Article, FeedDefinition, FeedState, NormalisedItem, Story } from '../domain/types.ts';
import type { Classifier } from '../domain/classify.ts';
import type { AlertPolicy } from '../config.ts';
import { normaliseItem } from '../domain/normalise.ts';
import { addToStory, findStory, newStory, nextAlertLevel } from '../domain/stories.ts';
import { MAX_POLL_MINUTES, nextPollTime } from '../domain/polling.ts';
import { applyStory, emptyDyadState, touchesDyadState } from '../domain/dyad-state.ts';
import { nextSeen, unseen } from '../domain/seen-items.ts';
import { KeyLock } from './key-lock.ts';
import { FetchError, ParseError, StoreError, describeError } from '../errors.ts';

export interface IngestDeps {
  fetcher: FeedFetcher;
  parser: FeedParser;
  store: EventStore;
  classify: Classifier;
  clock: Clock;
  log: Log;
  policy: AlertPolicy;
  pollIntervalMinutes: number;
  /** serialises story upserts per dyad in this process; share one across concurrent ingests */
  storyLock?: KeyLock;
}

const defaultStoryLock = new KeyLock();

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
  /** for failures: a short, stable reason (timeout, http-status, parse, rate-limited, ...) */
  errorReason?: string;
  /** how the items were read (rss-parser, lenient, salvaged, ...) */
  parsePath?: string;
  items: number;
  articles: { new: number; duplicate: number; relevant: number };
  stories: { new: number; updated: number };
  changes: StoryChange[];
}

const STORY_LOOKBACK_MS = 7 * 86_400_000;
const STORY_LOOKAHEAD_MS = 3 * 86_400_000;
const STORY_WRITE_ATTEMPTS = 5;

/**
 * Ingests one feed.
 *
 * Input: a feed definition. Output: what happened, with the stories whose alert level rose.
 * 1. Fetch with the stored validators; a 304 ends here.
 * 2. Parse, normalise, and drop the items this feed showed last time (its seen set): they cost
 *    nothing, not even a read.
 * 3. Classify each new item. Irrelevant ones are not stored. Relevant ones not already stored by
 *    another feed (one batched read) join or start a story (optimistic version check, retried on
 *    conflict), then the article is stored with a conditional put.
 * 4. Record the feed's state: validators, health, next poll time and the new seen set. It is
 *    written last, so a feed that fails half-way is read again in full next time: nothing lost.
 * A failed fetch or parse is a defined outcome recorded in the feed state, not an exception;
 * store errors propagate so the caller can retry the feed.
 */
export async function ingestFeed(feed: FeedDefinition, deps: IngestDeps): Promise<IngestResult> {
  const { store, clock, log } = deps;
  const result: IngestResult = { feedId: feed.id, outcome: 'ok', items: 0, articles: { new: 0, duplicate: 0, relevant: 0 }, stories: { new: 0, updated: 0 }, changes: [] };
  const previous: FeedState = (await store.getFeedStates([feed.id])).get(feed.id) ?? { feedId: feed.id, lastStatus: 'never', consecutiveFailures: 0 };
  const fetchedAt = clock().toISOString();
  previous.firstPolledAt ??= fetchedAt;

  let fetched;
  let items: NormalisedItem[];
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
    const parsed = await deps.parser.parse(fetched.body);
    if (parsed.path) result.parsePath = parsed.path;
    // Feeds named on the command line have no outlet: the feed's own title names it.
    outlet ||= parsed.title?.slice(0, 100) || hostOf(feed.url);
    const byId = new Map<string, NormalisedItem>();
    for (const raw of parsed.items) {
      const item = normaliseItem(raw, feed, fetchedAt);
      if (item && !byId.has(item.articleId)) byId.set(item.articleId, item);
    }
    items = [...byId.values()].sort((a, b) => a.publishedAt.localeCompare(b.publishedAt));
  } catch (error) {
    if (!(error instanceof FetchError) && !(error instanceof ParseError)) throw error;
    const failures = previous.consecutiveFailures + 1;
    result.outcome = 'failed';
    result.error = describeError(error);
    result.errorReason = error instanceof FetchError ? error.reason : 'parse';
    log.warn('feed failed', { feedId: feed.id, error: result.error, consecutiveFailures: failures });
    await store.putFeedState({
      ...previous,
      lastStatus: 'failed',
      lastFetchedAt: fetchedAt,
      lastError: result.error,
      consecutiveFailures: failures,
      nextPollAt: nextPollTime(fetchedAt, failures, deps.pollIntervalMinutes, error instanceof FetchError && error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    });
    return result;
  }

  result.items = items.length;
  const fresh = unseen(items, previous.seen);
  result.articles.duplicate = items.length - fresh.length;
  const classified = fresh.map((item) => ({ item, classification: deps.classify({ title: item.title, summary: item.summary, published: item.publishedAt }) }));
  const relevant = classified.filter((c) => c.classification.relevant);
  // Most items are not about the dyad: they are counted as new and remembered in the seen set only.
  result.articles.new = classified.length - relevant.length;
  const stored = relevant.length ? await store.existingArticleIds(relevant.map((c) => c.item.articleId)) : new Set<string>();
  const now = clock();
  const alertableAfter = now.getTime() - deps.policy.maxAlertAgeHours * 3_600_000;
  const changes = new Map<string, StoryChange>();
  for (const { item, classification } of relevant) {
    if (stored.has(item.articleId)) {
      result.articles.duplicate++;
      continue;
    }
    const article: Article = { ...item, feedId: feed.id, outlet, language: feed.language, fetchedAt, classification, storyId: null };
    const alertable = Date.parse(item.publishedAt) >= alertableAfter;
    const lock = deps.storyLock ?? defaultStoryLock;
    const change = await lock.run(classification.dyad ?? '', () => upsertStory(article, alertable, deps));
    article.storyId = change.story.storyId;
    if (change.kind === 'new') result.stories.new++;
    if (change.kind === 'updated') result.stories.updated++;
    const prior = changes.get(change.story.storyId);
    changes.set(change.story.storyId, { storyId: change.story.storyId, level: change.story.alertLevel, rose: change.rose || (prior?.rose ?? false) });
    if (!(await store.putArticleIfNew(article))) {
      result.articles.duplicate++;
      continue;
    }
    result.articles.new++;
    result.articles.relevant++;
  }
  result.changes = [...changes.values()];

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
    seen: nextSeen(items),
    nextPollAt: nextPollTime(fetchedAt, 0, deps.pollIntervalMinutes, {
      itemTimes: items.filter((i) => i.publishedFromFeed).map((i) => i.publishedAt),
      ...(fetched.cacheMaxAgeSeconds !== undefined ? { cacheMaxAgeSeconds: fetched.cacheMaxAgeSeconds } : {}),
    }),
  });
  log.info('feed ingested', { feedId: feed.id, items: result.items, ...result.articles });
  return result;
}

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'file:' ? (u.pathname.split('/').pop() ?? 'local file') : u.host;
  } catch {
    return url;
  }
}

/**
 * What a story change does to the dyad's state, and the write that records it (made only after
 * the story write succeeded). A lost race on the state is retried once; past that the note stands
 * and the state catches up with the next change.
 */
async function dyadChange(next: Story, previous: Story | null, at: string, deps: IngestDeps): Promise<{ note?: string; commit: () => Promise<void> }> {
  const previousTypes = previous?.types ?? [];
  if (!touchesDyadState(next, previousTypes) && next.status === previous?.status) return { commit: async () => {} };
  const current = (await deps.store.getDyadState(next.dyad)) ?? emptyDyadState(next.dyad);
  const { state, note } = applyStory(current, next, previousTypes, at);
  return {
    ...(note ? { note } : {}),
    commit: async () => {
      if (await deps.store.putDyadState(state, current.version)) return;
      const fresh = (await deps.store.getDyadState(next.dyad)) ?? emptyDyadState(next.dyad);
      const retried = applyStory(fresh, next, previousTypes, at).state;
      if (!(await deps.store.putDyadState(retried, fresh.version))) deps.log.warn('dyad state write kept conflicting', { dyad: next.dyad });
    },
  };
}

async function upsertStory(article: Article, alertable: boolean, deps: IngestDeps): Promise<{ story: Story; kind: 'new' | 'updated' | 'unchanged'; rose: boolean }> {
  const dyad = article.classification.dyad as string;
  const t = Date.parse(article.publishedAt);
  for (let attempt = 0; attempt < STORY_WRITE_ATTEMPTS; attempt++) {
    const candidates = await deps.store.storiesInWindow(dyad, new Date(t - STORY_LOOKBACK_MS).toISOString(), new Date(t + STORY_LOOKAHEAD_MS).toISOString());
    const current = findStory(article, candidates, deps.policy);
    if (current) {
      const merged = addToStory(current, article, deps.policy);
      if (merged === current) return { story: current, kind: 'unchanged', rose: false };
      const level = nextAlertLevel(current, merged, deps.policy, alertable);
      const dyad = await dyadChange(merged, current, article.publishedAt, deps);
      const next = { ...merged, alertLevel: level, alertDue: level > current.alertLevel, ...(dyad.note ? { stateNote: dyad.note } : {}) };
      if (await deps.store.putStory(next, current.version)) {
        await dyad.commit();
        return { story: { ...next, version: current.version + 1 }, kind: 'updated', rose: next.alertLevel > current.alertLevel };
      }
    } else {
      const created = newStory(article);
      const level = nextAlertLevel(null, created, deps.policy, alertable);
      const dyad = await dyadChange(created, null, article.publishedAt, deps);
      const next = { ...created, alertLevel: level, alertDue: level > 0, ...(dyad.note ? { stateNote: dyad.note } : {}) };
      if (await deps.store.putStory(next, 0)) {
        await dyad.commit();
        return { story: { ...next, version: 1 }, kind: 'new', rose: next.alertLevel > 0 };
      }
    }
    deps.log.debug('story write conflict; retrying', { articleId: article.articleId, attempt });
  }
  throw new StoreError(`story for article ${article.articleId} kept conflicting after ${STORY_WRITE_ATTEMPTS} attempts`);
}
