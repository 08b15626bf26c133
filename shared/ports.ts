import type { Alert, Article, DyadState, FeedDefinition, FeedState, RawFeedItem, Story, WebSubSubscription } from './domain/types.ts';
import type { PrepareContext, PreparedItems } from './domain/prepare-items.ts';
import type { AlertBasis, AlertClaim } from './domain/alert-decision.ts';

/** What a fetch gave: a body, or the server's word that nothing changed since our validators. */
export type FetchResult =
  | { status: 'ok'; body: string; etag?: string; lastModified?: string; contentType?: string; finalUrl: string; bytes: number; cacheMaxAgeSeconds?: number; /** the HTTP Link header (WebSub discovery) */ link?: string }
  | { status: 'not-modified'; etag?: string; lastModified?: string; cacheMaxAgeSeconds?: number };

export interface FeedFetcher {
  /** Throws FetchError (with a short reason) when the feed could not be read. */
  fetch(feed: FeedDefinition, validators: { etag?: string; lastModified?: string }): Promise<FetchResult>;
}

export interface ParsedFeed {
  title?: string;
  /** the items as read (empty when `prepared` is given: those are what count) */
  items: RawFeedItem[];
  /** the items already normalised and the new ones classified, by a parser that does so itself */
  prepared?: PreparedItems;
  /** how the items were read: rss-parser, or salvaged by the lenient reader after it failed */
  path?: 'rss-parser' | 'lenient' | 'salvaged' | 'salvaged-after-timeout' | 'json-feed';
}

export interface FeedParser {
  /**
   * Throws ParseError when the text is no feed. With `context`, a parser may also prepare the
   * items (prepare-items.ts) where it parses them, and return them as `prepared`.
   */
  parse(text: string, context?: PrepareContext): Promise<ParsedFeed>;
  /** Releases what the parser holds (a worker thread). */
  close?(): Promise<void>;
}

export interface StoryQuery {
  dyad?: string;
  type?: string;
  /** ISO time, inclusive */
  since: string;
  /** ISO time, inclusive */
  until: string;
}

export interface EventStore {
  getFeedStates(feedIds: string[]): Promise<Map<string, FeedState>>;
  putFeedState(state: FeedState): Promise<void>;
  /** Which of these article ids are stored already. */
  existingArticleIds(articleIds: string[]): Promise<Set<string>>;
  /** Stores the article unless it exists; false when it did (another worker won). */
  putArticleIfNew(article: Article, ttlSeconds?: number): Promise<boolean>;
  /** Stories of a dyad first seen in [since, until]. */
  storiesInWindow(dyad: string, since: string, until: string): Promise<Story[]>;
  getStory(storyId: string): Promise<Story | null>;
  /** Writes the story if its stored version is still `expectedVersion` (0 = must not exist). */
  putStory(story: Story, expectedVersion: number): Promise<boolean>;
  /**
   * Replaces a story merged into another by a pointer to that one, if its stored version is
   * still `expectedVersion`; true when it is done (or was already).
   */
  retireStory(storyId: string, expectedVersion: number, mergedInto: string): Promise<boolean>;
  /** The story this one was merged into, or null when it was not. */
  mergedInto(storyId: string): Promise<string | null>;
  /** Claims an alert, marked with the claimer's token; false when it is claimed already (sent, or held by a live claim). */
  claimAlert(storyId: string, level: number, now: string, leaseSeconds: number, status?: 'claimed' | 'suppressed', basis?: AlertBasis, token?: string): Promise<boolean>;
  /** Every alert claim of these stories (a story and those merged into it). */
  alertClaims(storyIds: string[]): Promise<AlertClaim[]>;
  markAlertSent(storyId: string, level: number, messageId: string, now: string): Promise<void>;
  releaseAlert(storyId: string, level: number): Promise<void>;
  /** Levels of this story whose alert was sent (not suppressed, not merely claimed). */
  sentAlertLevels(storyId: string): Promise<number[]>;
  queryStories(query: StoryQuery): Promise<Story[]>;
  getDyadState(dyad: string): Promise<DyadState | null>;
  /** Writes if the stored version is still `expectedVersion` (0 = must not exist). */
  putDyadState(state: DyadState, expectedVersion: number): Promise<boolean>;
  /** Adds one to the alert count of an hour; returns the new count (the burst guard). */
  countAlert(hour: string): Promise<number>;
}

/** Relevant articles on their way to the one writer per dyad that places them in stories. */
export interface StoryQueue {
  /** Throws when they could not all be sent. */
  send(articles: { article: Article; alertable: boolean }[]): Promise<void>;
}

/** Where due feeds go: an SQS queue in AWS, a function call in tests. */
export interface FeedQueue {
  send(feeds: FeedDefinition[]): Promise<void>;
}

/** Why a push to the WebSub callback was refused (or that it was accepted). */
export type PushOutcome = 'accepted' | 'unsigned' | 'bad-signature' | 'too-large' | 'unknown-subscription';

/** WebSub subscriptions, one per feed (DynamoDB: the events table, items WEBSUB#<feedId>). */
export interface SubscriptionStore {
  /** The subscriptions of these feeds, as last written (reads may be eventually consistent). */
  getSubscriptions(feedIds: string[]): Promise<Map<string, WebSubSubscription>>;
  /** One feed's subscription, read strongly consistent (the callback checks against it). */
  getSubscription(feedId: string): Promise<WebSubSubscription | null>;
  /** Writes if the stored version is still `expectedVersion` (0 = must not exist). */
  putSubscription(subscription: WebSubSubscription, expectedVersion: number): Promise<boolean>;
  /** Counts a push to a feed's callback, accepted or refused, with the time (an item of its own: no version race). */
  recordPush(feedId: string, outcome: PushOutcome, at: string): Promise<void>;
}

/** A WebSub hub: subscription requests (W3C WebSub 5.1). */
export interface HubClient {
  /** Throws HubError when the hub refused the request or could not be reached; resolves when it accepted it (2xx). */
  subscribe(request: { hub: string; topic: string; callback: string; secret: string; leaseSeconds: number }): Promise<void>;
}

export interface AlertPublisher {
  /** Returns the channel's message id. */
  publish(alert: Alert): Promise<string>;
}

export type Clock = () => Date;

/** The few log calls the use cases make; Powertools' Logger satisfies it, so does a console. */
export interface Log {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export const silentLog: Log = { debug() {}, info() {}, warn() {}, error() {} };
