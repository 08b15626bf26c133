import type { Classification, FeedDefinition, NormalisedItem, RawFeedItem } from './types.ts';
import type { Classifier } from './classify.ts';
import { normaliseItem } from './normalise.ts';
import { unseen } from './seen-items.ts';

/** What the seen set and the poll schedule need of every item. */
export type ItemStamp = Pick<NormalisedItem, 'articleId' | 'publishedAt' | 'publishedFromFeed'>;

/**
 * A feed's items ready for the store: a stamp of every item (for the seen set and polling), the
 * new items about a watched dyad in full with their classification, and how many new ones were
 * not (those are only counted: nothing of them is stored).
 */
export interface PreparedItems {
  /** every readable item once (by article id), oldest first */
  stamps: ItemStamp[];
  /** new items (not in the feed's seen set) that are relevant, oldest first */
  relevant: { item: NormalisedItem; classification: Classification }[];
  /** new items that are not */
  irrelevant: number;
}

/** What preparing a feed's items needs besides the items. */
export interface PrepareContext {
  feed: FeedDefinition;
  fetchedAt: string;
  /** the feed's seen set (see seen-items.ts) */
  seen?: string[];
}

/**
 * Parsed items to what ingest stores: normalised, one per article id, oldest first; those the feed
 * did not show last time are classified, and only the relevant ones kept in full (that is also
 * all that crosses from a worker thread). Pure: the parser's worker threads run it next to the
 * parse (so the event loop only stores), and ingest runs it itself for items read otherwise.
 */
export function prepareItems(raw: readonly RawFeedItem[], context: PrepareContext, classify: Classifier): PreparedItems {
  const byId = new Map<string, NormalisedItem>();
  for (const r of raw) {
    const item = normaliseItem(r, context.feed, context.fetchedAt);
    if (item && !byId.has(item.articleId)) byId.set(item.articleId, item);
  }
  const items = [...byId.values()].sort((a, b) => a.publishedAt.localeCompare(b.publishedAt));
  const prepared: PreparedItems = { stamps: items.map(({ articleId, publishedAt, publishedFromFeed }) => ({ articleId, publishedAt, publishedFromFeed })), relevant: [], irrelevant: 0 };
  for (const item of unseen(items, context.seen)) {
    const classification = classify({ title: item.title, summary: item.summary, published: item.publishedAt });
    if (classification.relevant) prepared.relevant.push({ item, classification });
    else prepared.irrelevant++;
  }
  return prepared;
}
