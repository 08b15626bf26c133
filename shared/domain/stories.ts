import type { Actor, Article, ArticleRef, EventDate, EventType, Story, StoryStatus } from './types.ts';
import { stableId } from './canonical-url.ts';
import { CLASSIFIER_VERSION } from './classifier-version.ts';

/**
 * Stories: one real-world event as reported by many outlets.
 *
 * An article joins a story when the dyad is the same, the event types are compatible (never a
 * recall with a return, never a strike with its direction swapped), the publish times are close,
 * and the words overlap. The alert level of a story only rises: 0 until confirmed, 1 when
 * confirmed, +1 when it escalates (higher severity or a new serious type); never for sources alone.
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
}

/** Announced events: a report within this many days of the scheduled date is about the same event. */
const SCHEDULE_TOLERANCE_DAYS = 3;
/** Types that can be announced for a date and later held, postponed or cancelled. */
const SCHEDULABLE = new Set<EventType>(['visit', 'talks', 'agreement', 'envoy_return', 'trade_energy']);

export const DEFAULT_STORY_POLICY: StoryPolicy = {
  windowHours: 72,
  singleSourceMinSeverity: 3,
  minSources: 2,
  maxArticleRefs: 50,
};

/** Types whose arrival in a story is news in itself ("a recall after a strike"). */
const ESCALATING = new Set<EventType>(['strike', 'envoy_recall', 'border_incident']);

/** Opposite polarities are different events even when the words overlap. */
const OPPOSED: [EventType, EventType][] = [
  ['envoy_recall', 'envoy_return'],
  ['strike', 'de_escalation'],
  ['strike', 'envoy_return'],
  ['envoy_recall', 'de_escalation'],
];

const STOPWORDS = new Set(
  'a an the and or but of to in on at by for with from as is are was were be been being has have had will would shall should can could may might must do does did this that these those it its their his her they them he she we our you your not no over after before into than then there here also said says say amid about against between both two new more most who which what when where while during since until under up down out off per via'.split(
    ' ',
  ),
);

/** Significant word stems of a text: lower case, stopwords and short words out, plural -s off. */
export function tokenize(text: string): string[] {
  const out = new Set<string>();
  for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (word.length < 3 || STOPWORDS.has(word)) continue;
    out.add(stem(word));
  }
  return [...out];
}

/** A light stemmer: enough to match "envoys" with "envoy" and "visited" with "visit". */
function stem(word: string): string {
  if (word.length <= 4) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ing') && word.length > 6) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 5) return word.slice(0, -2);
  if (word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Share of the smaller set found in the larger: short headlines against a story's vocabulary. */
export function overlap(a: readonly string[], b: readonly string[]): number {
  if (!a.length || !b.length) return 0;
  const [small, large] = a.length <= b.length ? [a, new Set(b)] : [b, new Set(a)];
  let shared = 0;
  for (const t of small) if (large.has(t)) shared++;
  return shared / small.length;
}

function sourceSide(actors: Actor[]): string | undefined {
  return (actors as (Actor & { side?: string })[]).find((a) => a.side === 'source')?.country;
}

function compatible(story: Story, article: Article): boolean {
  const c = article.classification;
  if (!c.primary) return false;
  const storyTypes = new Set(story.types);
  for (const [x, y] of OPPOSED) {
    if ((story.primaryType === x && c.primary === y) || (story.primaryType === y && c.primary === x)) return false;
  }
  if (c.primary === 'strike' || c.primary === 'border_incident') {
    const a = sourceSide(c.actors);
    const b = sourceSide(story.actors);
    if (a && b && a !== b) return false;
  }
  return c.primary === story.primaryType || storyTypes.has(c.primary) || c.types.includes(story.primaryType);
}

function hoursBetween(a: string, b: string): number {
  return Math.abs(Date.parse(a) - Date.parse(b)) / 3_600_000;
}

/**
 * The story an article belongs to, among candidates already narrowed to its dyad and time
 * range; null when it starts a new one. The best-scoring compatible candidate wins.
 */
export function findStory(article: Article, candidates: Story[], policy: StoryPolicy = DEFAULT_STORY_POLICY): Story | null {
  const c = article.classification;
  if (!c.relevant || !c.dyad) return null;
  const tokens = tokenize(`${article.title} ${article.summary}`);
  let best: { story: Story; score: number } | null = null;
  for (const story of candidates) {
    if (story.dyad !== c.dyad) continue;
    if (story.articles.some((a) => a.articleId === article.articleId)) return story;
    const nearest = Math.min(hoursBetween(article.publishedAt, story.firstSeen), hoursBetween(article.publishedAt, story.lastSeen));
    // An announced visit joins the report that it happened, was postponed or cancelled, even
    // days later, when the report comes around the scheduled date or names it.
    const aroundSchedule = SCHEDULABLE.has(story.primaryType) && story.eventDates.some((d) => d.kind === 'scheduled' && (Math.abs(Date.parse(`${d.date}T12:00:00Z`) - Date.parse(article.publishedAt)) <= SCHEDULE_TOLERANCE_DAYS * 86_400_000 || c.dates.some((x) => x.date === d.date)));
    if (nearest > policy.windowHours && !aroundSchedule) continue;
    if (!compatible(story, article)) continue;
    const similarity = overlap(tokens, story.tokens);
    const sharedDate = c.dates.some((d) => story.eventDates.some((e) => e.date === d.date && d.kind === 'scheduled'));
    const samePrimary = c.primary === story.primaryType;
    const scheduledKind = aroundSchedule && (samePrimary || (c.primary !== null && story.types.includes(c.primary)));
    const score = similarity + (samePrimary ? 0.15 : 0) + (sharedDate ? 0.2 : 0) + (scheduledKind ? 0.15 : 0);
    if (score < 0.45) continue;
    if (!best || score > best.score) best = { story, score };
  }
  return best?.story ?? null;
}

function ref(article: Article): ArticleRef {
  return { articleId: article.articleId, url: article.url, title: article.title, outlet: article.outlet, publishedAt: article.publishedAt };
}

function mergeDates(a: EventDate[], b: EventDate[]): EventDate[] {
  const out = [...a];
  for (const d of b) if (!out.some((x) => x.date === d.date)) out.push(d);
  return out.sort((x, y) => x.date.localeCompare(y.date)).slice(0, 10);
}

function mergeActors(a: Actor[], b: Actor[]): Actor[] {
  const out = [...a];
  for (const actor of b) {
    if (actor.name && !out.some((x) => x.country === actor.country && x.name === actor.name)) out.push(actor);
  }
  return out.filter((x) => x.name || !out.some((y) => y.country === x.country && y.name));
}

/** Stable story id: the first article's id, so two workers racing on one article agree. */
export function newStory(article: Article): Story {
  const c = article.classification;
  if (!c.relevant || !c.primary || !c.dyad) throw new Error(`article ${article.articleId} is not relevant; it cannot start a story`);
  return {
    storyId: stableId('story', article.articleId),
    dyad: c.dyad,
    primaryType: c.primary,
    types: [...c.types],
    severity: c.severity,
    confidence: c.confidence,
    actors: c.actors,
    eventDates: mergeDates([], c.dates),
    headline: article.title,
    evidence: c.evidence,
    firstSeen: article.publishedAt,
    lastSeen: article.publishedAt,
    sourceCount: 1,
    articles: [ref(article)],
    tokens: tokenize(`${article.title} ${article.summary}`).slice(0, 200),
    alertLevel: 0,
    version: 0,
    classifierVersion: CLASSIFIER_VERSION,
    ...statusOf(article, undefined),
  };
}

const CANCELLED = /\b(?:cancel(?:s|led|ed|ling|ation)|called off|calls off|scrap(?:s|ped)|shelved)\b/i;
const POSTPONED = /\b(?:postpone[sd]?|postponement|put off|defer(?:s|red)|delayed|rescheduled|pushed back)\b/i;
const HELD = /\b(?:arriv(?:es|ed)|landed|lands|held|met|meets|visited|concluded|wraps? up|wrapped up|ended|began|begins|signed|received)\b/i;

/** The lifecycle of an announced event, from a report about it. */
function statusOf(article: Article, current: StoryStatus | undefined): { status?: StoryStatus } {
  const c = article.classification;
  if (!c.primary || !SCHEDULABLE.has(c.primary)) return current ? { status: current } : {};
  const text = `${article.title} ${article.summary}`;
  if (CANCELLED.test(text)) return { status: 'cancelled' };
  if (POSTPONED.test(text)) return { status: 'postponed' };
  const scheduledAhead = c.dates.some((d) => d.kind === 'scheduled');
  if (current && HELD.test(article.title) && !scheduledAhead) return { status: 'held' };
  if (scheduledAhead && (!current || current === 'scheduled')) return { status: 'scheduled' };
  return current ? { status: current } : {};
}

/** The story with one more report. Idempotent: adding an article it already holds changes nothing. */
export function addToStory(story: Story, article: Article, policy: StoryPolicy = DEFAULT_STORY_POLICY): Story {
  if (story.articles.some((a) => a.articleId === article.articleId)) return story;
  const c = article.classification;
  const articles = [...story.articles, ref(article)].sort((a, b) => a.publishedAt.localeCompare(b.publishedAt));
  const kept = articles.length > policy.maxArticleRefs ? [...articles.slice(0, policy.maxArticleRefs - 1), articles.at(-1) as ArticleRef] : articles;
  const outlets = new Set([...story.articles.map((a) => a.outlet), article.outlet]);
  const stronger = c.severity > story.severity;
  const types = [...story.types];
  for (const t of c.types) if (!types.includes(t)) types.push(t);
  return {
    ...story,
    primaryType: stronger && c.primary ? c.primary : story.primaryType,
    types,
    severity: Math.max(story.severity, c.severity),
    confidence: Math.max(story.confidence, c.confidence),
    actors: mergeActors(story.actors, c.actors),
    eventDates: mergeDates(story.eventDates, c.dates),
    headline: stronger ? article.title : story.headline,
    evidence: stronger ? c.evidence : story.evidence,
    firstSeen: article.publishedAt < story.firstSeen ? article.publishedAt : story.firstSeen,
    lastSeen: article.publishedAt > story.lastSeen ? article.publishedAt : story.lastSeen,
    sourceCount: Math.max(story.sourceCount, outlets.size),
    articles: kept,
    // The report names the classifier behind the data; a story re-read by newer rules says so.
    classifierVersion: CLASSIFIER_VERSION,
    ...statusOf(article, story.status),
    tokens: [...new Set([...story.tokens, ...tokenize(`${article.title} ${article.summary}`)])].slice(0, 200),
  };
}

export function isConfirmed(story: Story, policy: StoryPolicy = DEFAULT_STORY_POLICY): boolean {
  return story.severity >= policy.singleSourceMinSeverity || story.sourceCount >= policy.minSources;
}

/**
 * The alert level after a change. `previous` is the story before the change (null for a new one).
 * `alertable` is false for reports too old to alert (backfills): they may confirm nothing new.
 */
export function nextAlertLevel(previous: Story | null, next: Story, policy: StoryPolicy = DEFAULT_STORY_POLICY, alertable = true): number {
  const level = previous?.alertLevel ?? 0;
  if (!alertable) return level;
  if (!isConfirmed(next, policy)) return level;
  if (level === 0) return 1;
  if (!previous) return level;
  const escalated = next.severity > previous.severity || next.types.some((t) => ESCALATING.has(t) && !previous.types.includes(t));
  // An announced visit called off or put off is news to those told it was coming.
  const derailed = (next.status === 'cancelled' || next.status === 'postponed') && next.status !== previous.status;
  return escalated || derailed ? level + 1 : level;
}
