import type { EventStore, Log } from '../ports.ts';
import type { Article, DyadState, Story } from '../domain/types.ts';
import type { AlertPolicy } from '../config.ts';
import { isConfirmed, nextAlertLevel, placeArticle } from '../domain/stories.ts';
import { applyStory, emptyDyadState, touchesDyadState } from '../domain/dyad-state.ts';
import { StoreError } from '../errors.ts';

export interface StoryDeps {
  store: EventStore;
  log: Log;
  policy: AlertPolicy;
  /**
   * Told of the placements once the stories are written, before the articles are stored: a
   * failure storing them leaves the articles stored but the batch failed, and a retry that skips
   * stored articles would otherwise never hear of the stories it changed.
   */
  onStories?: (outcomes: StoryOutcome[]) => void;
}

/** A relevant article waiting for its story; `alertable` is false for reports too old to alert. */
export interface PendingArticle {
  article: Article;
  alertable: boolean;
}

/** What became of a pending article. */
export interface StoryOutcome {
  story: Story;
  kind: 'new' | 'updated' | 'unchanged';
  /** true when the story holding the article may have something new to alert (notify decides) */
  rose: boolean;
  /** false when the article was stored already (a redelivery, or another feed's copy) */
  stored: boolean;
}

/** Reads reach this far back and ahead of a batch's articles: a story spans at most this. */
const STORY_LOOKBACK_MS = 10 * 86_400_000;
const STORY_LOOKAHEAD_MS = 10 * 86_400_000;
const STORY_WRITE_ATTEMPTS = 5;

/**
 * Relevant articles into stories, then the articles into the store.
 *
 * Must not run twice at once for one dyad: the caller serialises it (in AWS an SQS FIFO queue
 * with the dyad as message group feeds the story function; locally a KeyBatcher per dyad).
 * The version checks on each write stay, so a breach of that (a redelivery overlapping a retry)
 * costs a rerun, never a lost report.
 *
 * Per dyad: the stories of the batch's window are read once; every article is placed in memory
 * (stories.ts: it joins the story holding a report of the same event, starts one, or merges the
 * stories it bridges); each changed story is written once with its version check, merged-away
 * stories are removed after the story that absorbed them is written, then the dyad's state, then
 * the articles. Idempotent: a rerun after any failure, or a redelivered batch, finds the articles
 * in their stories and changes nothing more.
 */
export async function formStories(batch: PendingArticle[], deps: StoryDeps): Promise<StoryOutcome[]> {
  const byDyad = new Map<string, number[]>();
  batch.forEach((p, i) => {
    const dyad = p.article.classification.dyad ?? '';
    byDyad.set(dyad, [...(byDyad.get(dyad) ?? []), i]);
  });
  const outcomes: StoryOutcome[] = new Array(batch.length);
  for (const [dyad, indexes] of byDyad) {
    const group = indexes.map((i) => batch[i] as PendingArticle);
    const placed = await upsertStories(dyad, group, deps);
    for (const [k, i] of indexes.entries()) outcomes[i] = placed[k] as StoryOutcome;
  }
  deps.onStories?.(outcomes);
  // An article is stored only once its story holds it: a failure before here loses nothing.
  for (const [i, p] of batch.entries()) {
    const outcome = outcomes[i] as StoryOutcome;
    outcome.stored = await deps.store.putArticleIfNew({ ...p.article, storyId: outcome.story.storyId });
  }
  return outcomes;
}

interface StateStep {
  story: Story;
  previousTypes: Story['types'];
  previousStatus: Story['status'];
  at: string;
}

async function upsertStories(dyad: string, batch: PendingArticle[], deps: StoryDeps): Promise<StoryOutcome[]> {
  const times = batch.map((p) => Date.parse(p.article.publishedAt));
  const since = new Date(Math.min(...times) - STORY_LOOKBACK_MS).toISOString();
  const until = new Date(Math.max(...times) + STORY_LOOKAHEAD_MS).toISOString();
  // Placed in publish order: the stories come out the same in any order, and so do the notes.
  const order = batch.map((p, i) => i).sort((a, b) => (batch[a] as PendingArticle).article.publishedAt.localeCompare((batch[b] as PendingArticle).article.publishedAt) || (batch[a] as PendingArticle).article.articleId.localeCompare((batch[b] as PendingArticle).article.articleId));
  for (let attempt = 0; attempt < STORY_WRITE_ATTEMPTS; attempt++) {
    const loaded = await deps.store.storiesInWindow(dyad, since, until);
    const initial = new Map(loaded.map((s) => [s.storyId, s]));
    const current = new Map(initial);
    /** story id → the id of the story it was merged into */
    const mergedInto = new Map<string, string>();
    let state: DyadState | undefined;
    const steps: StateStep[] = [];
    const due = new Set<string>();
    /**
     * article id → the story it was placed in. Kept here, not looked up in the stories' report
     * lists: a story keeps only its newest reports (maxArticleRefs), so a batch that brings more
     * than that to one story pushes its own first ones out of the list.
     */
    const placedIn = new Map<string, string>();
    for (const i of order) {
      const { article, alertable } = batch[i] as PendingArticle;
      const { story: placed, found, absorbed } = placeArticle(article, [...current.values()], deps.policy);
      placedIn.set(article.articleId, placed.storyId);
      if (found && placed === found) continue;
      const previous = found ? { ...found, types: [...new Set([...found.types, ...absorbed.flatMap((s) => s.types)])], alertLevel: Math.max(found.alertLevel, ...absorbed.map((s) => s.alertLevel)) } : null;
      let next: Story = { ...placed, alertLevel: nextAlertLevel(previous, placed, deps.policy, alertable) };
      for (const gone of absorbed) {
        current.delete(gone.storyId);
        mergedInto.set(gone.storyId, next.storyId);
        due.delete(gone.storyId);
      }
      // A merge or an alertable change to a confirmed story: notify decides whether it tells more.
      if (alertable && isConfirmed(next, deps.policy)) due.add(next.storyId);
      const previousTypes = previous?.types ?? [];
      if (touchesDyadState(next, previousTypes) || next.status !== previous?.status) {
        state ??= (await deps.store.getDyadState(dyad)) ?? emptyDyadState(dyad);
        const change = applyStory(state, next, previousTypes, article.publishedAt, previous?.status);
        state = change.state;
        if (change.note) next = { ...next, stateNote: change.note };
        steps.push({ story: next, previousTypes, previousStatus: previous?.status, at: article.publishedAt });
      }
      current.set(next.storyId, next);
    }

    const written = new Map<string, Story>();
    let refused = false;
    for (const [id, story] of current) {
      const before = initial.get(id);
      if (story === before) continue;
      const expected = before?.version ?? 0;
      const next = { ...story, alertDue: due.has(id) };
      if (!(await deps.store.putStory(next, expected))) {
        refused = true;
        break;
      }
      written.set(id, { ...next, version: expected + 1 });
    }
    // Merged-away stories give way to a pointer only once the story holding their reports is written.
    if (!refused) {
      for (const [id, into] of mergedInto) {
        const before = initial.get(id);
        if (before && !(await deps.store.retireStory(id, before.version, into))) {
          refused = true;
          break;
        }
      }
    }
    await commitDyadState(dyad, steps.filter((s) => written.has(s.story.storyId)), deps);
    if (refused) {
      deps.log.debug('story write conflict; rerunning the batch', { dyad, articles: batch.length, attempt });
      continue;
    }
    const holder = (articleId: string): Story | undefined => {
      let id = placedIn.get(articleId);
      // A story it joined may itself have been merged into another later in the batch.
      for (let hops = 0; id && !current.has(id) && hops <= mergedInto.size; hops++) id = mergedInto.get(id);
      return id ? current.get(id) : undefined;
    };
    return batch.map(({ article }) => {
      const story = holder(article.articleId);
      if (!story) throw new StoreError(`article ${article.articleId} is in no story after placing it`);
      const stored = written.get(story.storyId) ?? story;
      const isNew = !initial.has(story.storyId) && written.has(story.storyId);
      // A story already holding the article from an earlier, interrupted run still reports its
      // due flag, so the caller's notify is not skipped by the retry.
      return { story: stored, kind: isNew ? 'new' : written.has(story.storyId) ? 'updated' : 'unchanged', rose: stored.alertDue === true, stored: false };
    });
  }
  throw new StoreError(`stories of ${batch.length} ${dyad} article(s) kept conflicting after ${STORY_WRITE_ATTEMPTS} attempts`);
}

/**
 * The dyad's state after the written stories' changes, written once. A lost race on the state is
 * retried once on a fresh read; past that the notes stand and the state catches up with the
 * next change.
 */
async function commitDyadState(dyad: string, steps: StateStep[], deps: StoryDeps): Promise<void> {
  if (!steps.length) return;
  for (let attempt = 0; attempt < 2; attempt++) {
    const fresh = (await deps.store.getDyadState(dyad)) ?? emptyDyadState(dyad);
    const state = steps.reduce((s, step) => applyStory(s, step.story, step.previousTypes, step.at, step.previousStatus).state, fresh);
    if (await deps.store.putDyadState(state, fresh.version)) return;
  }
  deps.log.warn('dyad state write kept conflicting', { dyad });
}
