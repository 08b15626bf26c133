import type { Clock, EventStore, FeedFetcher, FeedParser, Log } from '../ports.ts';
import type { Article, DyadState, FeedDefinition, FeedState, NormalisedItem, Story } from '../domain/types.ts';
import type { Classifier } from '../domain/classify.ts';
import type { LazyClassifier } from '../lazy-classifier.ts';
import type { AlertPolicy } from '../config.ts';
import { toPlainText } from '../domain/text.ts';
import { addToStory, findStory, newStory, nextAlertLevel } from '../domain/stories.ts';
import { MAX_POLL_MINUTES, nextPollTime } from '../domain/polling.ts';
import { applyStory, emptyDyadState, touchesDyadState } from '../domain/dyad-state.ts';
import { nextSeen } from '../domain/seen-items.ts';
import { recordDyads } from '../domain/surge.ts';
import { prepareItems, type PreparedItems } from '../domain/prepare-items.ts';
import { KeyBatcher } from './key-lock.ts';
import { FetchError, ParseError, StoreError, describeError } from '../errors.ts';

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
}

/** A relevant article waiting for its story, and what became of it. */
export interface PendingArticle {
  article: Article;
  alertable: boolean;
}
export interface StoryOutcome {
  story: Story;
  kind: 'new' | 'updated' | 'unchanged';
  /** true when this batch raised the story's alert level */
  rose: boolean;
}
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
export async function ingestFeed(feed: FeedDefinition, deps: IngestDeps, known?: { state: FeedState | undefined }): Promise<IngestResult> {
  const { store, clock, log } = deps;
  const result: IngestResult = { feedId: feed.id, outcome: 'ok', items: 0, articles: { new: 0, duplicate: 0, relevant: 0 }, stories: { new: 0, updated: 0 }, changes: [] };
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
    const parsed = await deps.parser.parse(fetched.body, context);
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
  // Stories first, then the articles: an article is stored only once its story holds it.
  const byDyad = new Map<string, PendingArticle[]>();
  for (const p of pending) {
    const dyad = p.article.classification.dyad ?? '';
    byDyad.set(dyad, [...(byDyad.get(dyad) ?? []), p]);
  }
  for (const [dyad, group] of byDyad) {
    const outcomes = await batcherFor(deps).run(dyad, group, (batch) => upsertStories(batch, deps));
    group.forEach((p, i) => {
      const { story, kind, rose } = outcomes[i] as StoryOutcome;
      p.article.storyId = story.storyId;
      if (kind === 'new') result.stories.new++;
      if (kind === 'updated') result.stories.updated++;
      const prior = changes.get(story.storyId);
      changes.set(story.storyId, { storyId: story.storyId, level: Math.max(story.alertLevel, prior?.level ?? 0), rose: rose || (prior?.rose ?? false) });
    });
  }
  for (const { article } of pending) {
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
    lastErrorReason: undefined,
    seen: nextSeen(stamps),
    // which dyads this feed carries: the dispatcher's surge polls it (surge.ts)
    dyads: relevant.length ? recordDyads(previous.dyads, relevant.map((c) => c.classification.dyad ?? ''), fetchedAt) : previous.dyads,
    nextPollAt: nextPollTime(fetchedAt, 0, deps.pollIntervalMinutes, {
      itemTimes: stamps.filter((i) => i.publishedFromFeed).map((i) => i.publishedAt),
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
 * One batch of relevant articles of one dyad into stories: the stories of the batch's window are
 * read once, every article is applied in memory in order (join or start a story, raise its alert
 * level, move the dyad's state), then each changed story is written once with its version check,
 * and the dyad's state once. A refused write reruns the batch from a fresh read; articles already
 * in a written story are then no-ops, so nothing is applied twice.
 */
async function upsertStories(batch: PendingArticle[], deps: IngestDeps): Promise<StoryOutcome[]> {
  const dyad = batch[0]?.article.classification.dyad as string;
  const times = batch.map((p) => Date.parse(p.article.publishedAt));
  const window = (t: number) => [new Date(t - STORY_LOOKBACK_MS).toISOString(), new Date(t + STORY_LOOKAHEAD_MS).toISOString()] as const;
  const [since] = window(Math.min(...times));
  const [, until] = window(Math.max(...times));
  for (let attempt = 0; attempt < STORY_WRITE_ATTEMPTS; attempt++) {
    const loaded = await deps.store.storiesInWindow(dyad, since, until);
    const initial = new Map(loaded.map((s) => [s.storyId, s]));
    const current = new Map(initial);
    let state: DyadState | undefined;
    const steps: { storyId: string; story: Story; previousTypes: Story['types']; previousStatus: Story['status']; at: string }[] = [];
    const applied: { storyId: string; kind: StoryOutcome['kind'] }[] = [];
    for (const { article, alertable } of batch) {
      const [lo, hi] = window(Date.parse(article.publishedAt));
      const found = findStory(article, [...current.values()].filter((s) => s.firstSeen >= lo && s.firstSeen <= hi), deps.policy);
      const merged = found ? addToStory(found, article, deps.policy) : newStory(article);
      if (found && merged === found) {
        applied.push({ storyId: found.storyId, kind: 'unchanged' });
        continue;
      }
      let next: Story = { ...merged, alertLevel: nextAlertLevel(found ?? null, merged, deps.policy, alertable) };
      const previousTypes = found?.types ?? [];
      if (touchesDyadState(next, previousTypes) || next.status !== found?.status) {
        state ??= (await deps.store.getDyadState(dyad)) ?? emptyDyadState(dyad);
        const change = applyStory(state, next, previousTypes, article.publishedAt, found?.status);
        state = change.state;
        if (change.note) next = { ...next, stateNote: change.note };
        steps.push({ storyId: next.storyId, story: next, previousTypes, previousStatus: found?.status, at: article.publishedAt });
      }
      current.set(next.storyId, next);
      applied.push({ storyId: next.storyId, kind: found ? 'updated' : 'new' });
    }

    const written = new Map<string, Story>();
    let refused = false;
    for (const [id, story] of current) {
      const before = initial.get(id);
      if (story === before) continue;
      const expected = before?.version ?? 0;
      const next = { ...story, alertDue: story.alertLevel > (before?.alertLevel ?? 0) };
      if (!(await deps.store.putStory(next, expected))) {
        refused = true;
        break;
      }
      written.set(id, { ...next, version: expected + 1 });
    }
    await commitDyadState(dyad, steps.filter((s) => written.has(s.storyId)), deps);
    if (refused) {
      deps.log.debug('story write conflict; rerunning the batch', { dyad, articles: batch.length, attempt });
      continue;
    }
    return applied.map(({ storyId, kind }) => {
      const story = written.get(storyId) ?? (current.get(storyId) as Story);
      return { story, kind: written.has(storyId) ? kind : 'unchanged', rose: story.alertLevel > (initial.get(storyId)?.alertLevel ?? 0) };
    });
  }
  throw new StoreError(`stories of ${batch.length} ${dyad} article(s) kept conflicting after ${STORY_WRITE_ATTEMPTS} attempts`);
}

/**
 * The dyad's state after the written stories' changes, written once. A lost race on the state is
 * retried once on a fresh read; past that the notes stand and the state catches up with the
 * next change.
 */
async function commitDyadState(dyad: string, steps: { story: Story; previousTypes: Story['types']; previousStatus: Story['status']; at: string }[], deps: IngestDeps): Promise<void> {
  if (!steps.length) return;
  for (let attempt = 0; attempt < 2; attempt++) {
    const fresh = (await deps.store.getDyadState(dyad)) ?? emptyDyadState(dyad);
    const state = steps.reduce((s, step) => applyStory(s, step.story, step.previousTypes, step.at, step.previousStatus).state, fresh);
    if (await deps.store.putDyadState(state, fresh.version)) return;
  }
  deps.log.warn('dyad state write kept conflicting', { dyad });
}
