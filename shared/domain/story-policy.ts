import type { EventType } from './types.ts';

/**
 * The thresholds stories are formed and alerted by, apart from stories.ts so that the
 * configuration (config.ts) and the alert decision can read them without importing story
 * formation, and with it canonical-url.ts and the address tables of blocked-address.ts, which
 * are built on import: a Lambda that forms no story need not load them at its cold start.
 */
export interface StoryPolicy {
  /** hours between an article and the story's nearest report for them to be one event */
  windowHours: number;
  /** a story alerts on one source from this severity up ... */
  singleSourceMinSeverity: number;
  /** ... and below it once this many independent outlets report it */
  minSources: number;
  /** a story keeps at most this many article references (DynamoDB items are capped at 400 KB) */
  maxArticleRefs: number;
  /** word overlap that links two reports when neither the people nor an announced date do */
  minOverlap: number;
}

export const DEFAULT_STORY_POLICY: StoryPolicy = {
  windowHours: 72,
  singleSourceMinSeverity: 3,
  minSources: 2,
  maxArticleRefs: 50,
  minOverlap: 0.3,
};

/** Types whose arrival in a story is news in itself ("a recall after a strike"). */
export const ESCALATING: ReadonlySet<EventType> = new Set<EventType>(['strike', 'envoy_recall', 'border_incident']);
