/**
 * The product's vocabulary. Pure types: no I/O, no SDK.
 * Event type ids are fixed by ../shared/docs/TAXONOMY.md and by the classify CLI contract.
 */

export const EVENT_TYPES = [
  'envoy_recall',
  'envoy_return',
  'visit',
  'talks',
  'agreement',
  'de_escalation',
  'protest',
  'strike',
  'border_incident',
  'trade_energy',
  'other',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** ISO 3166-1 alpha-2 code, e.g. IR, PK. */
export type CountryCode = string;

export interface Actor {
  country: CountryCode;
  name?: string;
  role?: string;
}

export interface EventDate {
  /** YYYY-MM-DD */
  date: string;
  /** the words the date was resolved from */
  text: string;
  /** scheduled: after the publish date; reported: on or before it */
  kind?: 'scheduled' | 'reported';
}

export interface Classification {
  relevant: boolean;
  types: EventType[];
  primary: EventType | null;
  severity: number;
  confidence: number;
  actors: Actor[];
  dates: EventDate[];
  evidence: string;
  /** e.g. IR-PK; null when not relevant */
  dyad: string | null;
}

export interface FeedDefinition {
  id: string;
  url: string;
  outlet: string;
  language: string;
  /** polled every cycle during any surge (surge.ts) */
  priority?: boolean;
}

/** An item as the parser gives it, before any cleaning. Fields may be anything. */
export interface RawFeedItem {
  title?: unknown;
  link?: unknown;
  guid?: unknown;
  id?: unknown;
  summary?: unknown;
  content?: unknown;
  isoDate?: unknown;
  pubDate?: unknown;
}

/** A feed item after normalisation: plain text, canonical URL, a publish time. */
export interface NormalisedItem {
  articleId: string;
  url: string | null;
  title: string;
  summary: string;
  publishedAt: string;
  /** false when the feed gave no usable date and the fetch time stands in */
  publishedFromFeed: boolean;
}

export interface Article extends NormalisedItem {
  feedId: string;
  outlet: string;
  language: string;
  fetchedAt: string;
  classification: Classification;
  storyId: string | null;
}

export interface ArticleRef {
  articleId: string;
  url: string | null;
  title: string;
  outlet: string;
  publishedAt: string;
  /** what the report says happened (absent on stories stored before it was kept) */
  event?: EventSignature;
}

/**
 * What one report says happened, kept with its reference in the story: later reports are
 * compared with each report, not with the story's running totals, so the stories a set of
 * reports makes do not depend on the order they came in.
 */
export interface EventSignature {
  primary: EventType;
  types: EventType[];
  severity: number;
  confidence: number;
  /** the acting state for directed types (strike, border incident, recall, protest) */
  source?: CountryCode;
  actors: Actor[];
  dates: EventDate[];
  /** significant word stems of the title and summary (tie-break only) */
  tokens: string[];
  evidence: string;
  /** what the report says of an announced event: scheduled, held, postponed or cancelled */
  lifecycle?: 'scheduled' | 'held' | 'postponed' | 'cancelled';
}

export interface Story {
  storyId: string;
  dyad: string;
  primaryType: EventType;
  types: EventType[];
  severity: number;
  confidence: number;
  actors: Actor[];
  eventDates: EventDate[];
  headline: string;
  evidence: string;
  firstSeen: string;
  lastSeen: string;
  /** number of distinct outlets */
  sourceCount: number;
  articles: ArticleRef[];
  /** significant words of the member articles, for joining later reports */
  tokens: string[];
  /**
   * 0 until a report young enough to alert confirms the story; then 1, +1 on each escalation as
   * story formation saw it. Alerts go only from 1 up; the level subscribers get is decided by
   * notify from what they were told (alert-decision.ts), not from this count.
   */
  alertLevel: number;
  /** true on a write that may give subscribers something new: the stream filter passes only those writes */
  alertDue?: boolean;
  /** for announced events: scheduled, then held, postponed or cancelled as later reports say */
  status?: StoryStatus;
  /** what the event changed in the relationship ("first ambassador recall since 2024-01-17") */
  stateNote?: string;
  /** the classifier that read the story's latest report (absent on stories stored before it was kept) */
  classifierVersion?: string;
  /** stories found to be the same event and merged into this one (their alert claims count as this one's) */
  mergedFrom?: string[];
  /** optimistic-lock counter, bumped on every write */
  version: number;
}

export type StoryStatus = 'scheduled' | 'held' | 'postponed' | 'cancelled';

/** The current state of a dyad's relationship, updated as stories arrive. */
export interface DyadState {
  dyad: string;
  ambassadors: 'in-post' | 'recalled' | 'unknown';
  ambassadorsSince?: string;
  lastRecallAt?: string;
  lastReturnAt?: string;
  lastStrikeAt?: string;
  lastHighLevelVisitAt?: string;
  version: number;
}

export interface FeedState {
  feedId: string;
  etag?: string;
  lastModified?: string;
  lastStatus: 'ok' | 'not-modified' | 'failed' | 'never';
  lastFetchedAt?: string;
  lastSuccessAt?: string;
  lastError?: string;
  /** the short, stable reason of the last failure (timeout, blocked-address, parse, ...) */
  lastErrorReason?: string;
  consecutiveFailures: number;
  nextPollAt?: string;
  firstPolledAt?: string;
  /** how the last body was read: rss-parser, or salvaged by the lenient reader */
  lastParsePath?: string;
  /** last time a poll found at least one new article: a feed silent for long is stale */
  lastNewAt?: string;
  /** short keys of the items in the last body read (see seen-items.ts): those cost nothing next time */
  seen?: string[];
  /** dyads whose relevant articles this feed carried, with the last time (surge.ts) */
  dyads?: Record<string, string>;
  /** the WebSub hubs and topic the last body read advertised (websub-discovery.ts); absent when none */
  websub?: { hubs: string[]; topic: string };
}

/**
 * A WebSub subscription of one feed (one item per feed, apart from its feed state: ingest,
 * the dispatcher and the callback each write their own item and never overwrite each other).
 */
export interface WebSubSubscription {
  feedId: string;
  hub: string;
  topic: string;
  /** random path segment of the callback URL: a verification or push naming another is not ours */
  callbackId: string;
  /** the HMAC key the hub signs pushes with (hex); never logged, never printed */
  secret: string;
  /** pending: asked, not yet verified; verified: live until leaseExpiresAt; denied or failed: polled only */
  status: 'pending' | 'verified' | 'denied' | 'failed';
  /** when the subscription (or its latest renewal) was asked for */
  requestedAt: string;
  /** the lease asked for, in seconds */
  leaseSeconds: number;
  verifiedAt?: string;
  leaseExpiresAt?: string;
  /** set while a renewal is asked and not yet verified */
  renewalRequestedAt?: string;
  /** failed attempts in a row (backoff) */
  failures: number;
  /** what went wrong last (never holds the secret) */
  lastError?: string;
  /** a denied or failed subscription is not asked again before this time */
  retryAt?: string;
  /** optimistic-lock counter, bumped on every write */
  version: number;
}

export interface Alert {
  storyId: string;
  level: number;
  subject: string;
  email: string;
  sms: string;
  attributes: { eventType: EventType; severity: number; dyad: string };
  /** the states involved, for subscribers' filter policies (an SNS String.Array attribute) */
  countries?: string[];
  /** for a digest: the stories it stands for */
  digestOf?: string[];
}
