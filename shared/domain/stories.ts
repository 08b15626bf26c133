import type { Actor, Article, ArticleRef, EventDate, EventSignature, EventType, Story, StoryStatus } from './types.ts';
import { stableId } from './canonical-url.ts';
import { CLASSIFIER_VERSION } from './classifier-version.ts';
import { DEFAULT_STORY_POLICY, ESCALATING, type StoryPolicy } from './story-policy.ts';

export { DEFAULT_STORY_POLICY, ESCALATING, type StoryPolicy };

/**
 * Stories: one real-world event as reported by many outlets.
 *
 * An article joins a story when the dyad is the same, the event types are compatible (never a
 * recall with a return, never a strike with its direction swapped), the publish times are close,
 * and the words overlap. The alert level of a story only rises: 0 until confirmed, 1 when
 * confirmed, +1 when it escalates (higher severity or a new serious type); never for sources alone.
 */

/** Announced events: a report within this many days of the scheduled date is about the same event. */
const SCHEDULE_TOLERANCE_DAYS = 3;
/** Types that can be announced for a date and later held, postponed or cancelled. */
const SCHEDULABLE = new Set<EventType>(['visit', 'talks', 'agreement', 'envoy_return', 'trade_energy']);

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

const DIRECTED = new Set<EventType>(['strike', 'border_incident', 'envoy_recall', 'protest']);
const MEETING = new Set<EventType>(['talks', 'visit', 'agreement', 'de_escalation', 'envoy_return']);
const VISIT_AND_MEETINGS = new Set<EventType>(['visit', 'talks', 'agreement']);

function sourceSide(actors: Actor[]): string | undefined {
  return (actors as (Actor & { side?: string })[]).find((a) => a.side === 'source')?.country;
}

function opposed(x: EventType, y: EventType): boolean {
  return OPPOSED.some(([a, b]) => (x === a && y === b) || (x === b && y === a));
}

const CANCELLED = /\b(?:cancel(?:s|led|ed|ling|ation)|called off|calls off|scrap(?:s|ped)|shelved)\b/i;
const POSTPONED = /\b(?:postpone[sd]?|postponement|put off|defer(?:s|red)|delayed|rescheduled|pushed back)\b/i;
const HELD = /\b(?:arriv(?:es|ed)|landed|lands|held|met|meets|visited|concluded|wraps? up|wrapped up|ended|began|begins|signed|received)\b/i;

/** What one report says of an announced event, if it is of a type that can be announced. */
function lifecycleOf(article: Article): EventSignature['lifecycle'] {
  const c = article.classification;
  if (!c.primary || !SCHEDULABLE.has(c.primary)) return undefined;
  const text = `${article.title} ${article.summary}`;
  if (CANCELLED.test(text)) return 'cancelled';
  if (POSTPONED.test(text)) return 'postponed';
  if (c.dates.some((d) => d.kind === 'scheduled')) return 'scheduled';
  if (HELD.test(article.title)) return 'held';
  return undefined;
}

/** What a report says happened, as kept in its story. */
export function signatureOf(article: Article): EventSignature {
  const c = article.classification;
  if (!c.relevant || !c.primary || !c.dyad) throw new Error(`article ${article.articleId} is not relevant; it cannot join a story`);
  const source = DIRECTED.has(c.primary) ? sourceSide(c.actors) : undefined;
  const lifecycle = lifecycleOf(article);
  return {
    primary: c.primary,
    types: [...c.types],
    severity: c.severity,
    confidence: c.confidence,
    ...(source ? { source } : {}),
    actors: c.actors,
    dates: c.dates,
    tokens: tokenize(`${article.title} ${article.summary}`).slice(0, 60),
    evidence: c.evidence,
    ...(lifecycle ? { lifecycle } : {}),
  };
}

/** A member's signature; a reference stored before signatures were kept stands for its story. */
function memberEvent(ref: ArticleRef, story: Story): EventSignature {
  if (ref.event) return ref.event;
  const source = DIRECTED.has(story.primaryType) ? sourceSide(story.actors) : undefined;
  return { primary: story.primaryType, types: story.types, severity: story.severity, confidence: story.confidence, ...(source ? { source } : {}), actors: story.actors, dates: story.eventDates, tokens: story.tokens, evidence: story.evidence };
}

interface Report {
  event: EventSignature;
  publishedAt: string;
}

const DAY_MS = 86_400_000;
const dayOf = (iso: string) => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
const names = (e: EventSignature) => new Set(e.actors.flatMap((a) => (a.name ? [a.name] : [])));

/** An announced date of one report falls on the other's day or a date it names. */
function scheduleLinks(a: Report, b: Report): boolean {
  const link = (x: Report, y: Report) =>
    x.event.dates.some((d) => d.kind === 'scheduled' && (Math.abs(dayOf(d.date) - dayOf(y.publishedAt)) <= SCHEDULE_TOLERANCE_DAYS * DAY_MS || y.event.dates.some((e) => e.date === d.date)));
  return (SCHEDULABLE.has(a.event.primary) || SCHEDULABLE.has(b.event.primary)) && (link(a, b) || link(b, a));
}

/**
 * Whether two reports of one dyad are about the same real-world event, by what they say
 * happened: compatible types (never opposite polarities; a visit and the talks and agreements
 * of it when they name the same person), the same direction for acts of one
 * state against the other, not different people on one side, not different days named for it,
 * close in time (or linked by an announced date), and some shared substance: an announced date,
 * the people, the same act in the same direction, or failing those the words.
 * Symmetric, and a property of the two reports alone: stories built from it are the connected
 * groups of reports, the same whatever the order they arrive in.
 */
export function sameEvent(a: Report, b: Report, policy: StoryPolicy = DEFAULT_STORY_POLICY): boolean {
  const x = a.event;
  const y = b.event;
  if (opposed(x.primary, y.primary)) return false;
  const scheduled = scheduleLinks(a, b);
  // An announcement names what is to happen among its types ("envoys to return; the minister
  // to visit on the 10th"); the report that it happened leads with it.
  const announced = scheduled && (x.types.includes(y.primary) || y.types.includes(x.primary));
  const sharedName = [...names(x)].some((n) => names(y).has(n));
  // A visit, the talks held during it and what was signed there, by the same named person.
  const visitAndMeetings = VISIT_AND_MEETINGS.has(x.primary) && VISIT_AND_MEETINGS.has(y.primary) && sharedName;
  const typesMatch = x.primary === y.primary || (x.types.includes(y.primary) && y.types.includes(x.primary)) || announced || visitAndMeetings;
  if (!typesMatch) return false;
  if (x.source && y.source && x.source !== y.source) return false;
  const hours = Math.abs(Date.parse(a.publishedAt) - Date.parse(b.publishedAt)) / 3_600_000;
  if (hours > policy.windowHours && !scheduled) return false;
  if (differentPeople(x, y)) return false;
  if (differentDays(x, y)) return false;
  // Acts of one state against the other are rare: the same act in the same direction within a
  // day and a half is one event however differently it is worded, unless a report also tells of
  // a meeting or a call (then it may well be about that).
  const sameAct = x.primary === y.primary && DIRECTED.has(x.primary) && x.source !== undefined && x.source === y.source && hours <= 36 && !x.types.some((t) => MEETING.has(t)) && !y.types.some((t) => MEETING.has(t));
  const similarity = overlap(x.tokens, y.tokens);
  return scheduled || sharedName || sameAct || similarity >= policy.minOverlap;
}

/**
 * Both say on which day it happened, and no day one names is within a day of one the other
 * names: "the ministers spoke on Wednesday" and "... spoke on Friday" are two calls. A day of
 * slack, as "yesterday" and time zones blur them. An announcement's day for the event is the
 * one it is set for: "the summit, set for the 16th, was announced on Thursday" names both days,
 * and a report that the summit began on the 16th is about it.
 */
function differentDays(x: EventSignature, y: EventSignature): boolean {
  const days = (e: EventSignature) => e.dates.filter((d) => d.kind === 'reported' || d.kind === 'scheduled').map((d) => dayOf(d.date));
  const a = days(x);
  const b = days(y);
  return a.length > 0 && b.length > 0 && !a.some((p) => b.some((q) => Math.abs(p - q) <= DAY_MS));
}

/**
 * Two reports naming different people on one side ("the army chief met the president" and
 * "the prime minister met the president") are about different meetings.
 */
function differentPeople(x: EventSignature, y: EventSignature): boolean {
  const bySide = (e: EventSignature) => {
    const out = new Map<string, Set<string>>();
    for (const a of e.actors) if (a.name) out.set(a.country, (out.get(a.country) ?? new Set()).add(a.name));
    return out;
  };
  const a = bySide(x);
  const b = bySide(y);
  for (const [country, people] of a) {
    const others = b.get(country);
    if (others && ![...people].some((p) => others.has(p))) return true;
  }
  return false;
}

/** The stories among `candidates` (narrowed to the dyad and time range) that hold a report of the article's event. */
export function matchingStories(article: Article, candidates: Story[], policy: StoryPolicy = DEFAULT_STORY_POLICY): Story[] {
  const c = article.classification;
  if (!c.relevant || !c.dyad) return [];
  const report: Report = { event: signatureOf(article), publishedAt: article.publishedAt };
  return candidates.filter((s) => s.dyad === c.dyad && (s.articles.some((r) => r.articleId === article.articleId) || s.articles.some((r) => sameEvent(report, { event: memberEvent(r, s), publishedAt: r.publishedAt }, policy))));
}

/** The story an article joins (the oldest of those it matches), or null when it starts a new one. */
export function findStory(article: Article, candidates: Story[], policy: StoryPolicy = DEFAULT_STORY_POLICY): Story | null {
  return matchingStories(article, candidates, policy).sort(byAge)[0] ?? null;
}

/** Oldest first: the story subscribers heard of first keeps its id when stories merge. */
function byAge(a: Story, b: Story): number {
  return a.firstSeen.localeCompare(b.firstSeen) || a.storyId.localeCompare(b.storyId);
}

/**
 * Where an article goes: a new story, the one story it matches, or, when it matches several
 * (it bridges them), one story merged from them all with the article added. `absorbed` are
 * the stories merged into `story`, to be removed.
 */
export function placeArticle(article: Article, candidates: Story[], policy: StoryPolicy = DEFAULT_STORY_POLICY): { story: Story; found: Story | null; absorbed: Story[] } {
  const matches = matchingStories(article, candidates, policy).sort(byAge);
  if (!matches.length) return { story: newStory(article), found: null, absorbed: [] };
  const [first, ...rest] = matches as [Story, ...Story[]];
  const merged = rest.length ? mergeStories([first, ...rest], policy) : first;
  return { story: addToStory(merged, article, policy), found: first, absorbed: rest };
}

function ref(article: Article): ArticleRef {
  return { articleId: article.articleId, url: article.url, title: article.title, outlet: article.outlet, publishedAt: article.publishedAt, event: signatureOf(article) };
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
    else if (!actor.name && !out.some((x) => x.country === actor.country)) out.push(actor);
  }
  return out.filter((x) => x.name || !out.some((y) => y.country === x.country && y.name));
}

const byTime = (a: ArticleRef, b: ArticleRef) => a.publishedAt.localeCompare(b.publishedAt) || a.articleId.localeCompare(b.articleId);

/**
 * A story's fields from its reports alone: the strongest report (highest severity, then the
 * earliest) gives the type, headline and evidence; the rest are unions, extremes and the
 * announced event's lifecycle read in publish order. So a story is the same whatever order its
 * reports came in, and whichever stories they passed through.
 */
function fromMembers(base: Pick<Story, 'storyId' | 'dyad' | 'version' | 'alertLevel'> & Partial<Story>, refs: ArticleRef[], legacy: Story | null, policy: StoryPolicy): Story {
  const unique = [...new Map(refs.map((r) => [r.articleId, r])).values()].sort(byTime);
  const kept = unique.length > policy.maxArticleRefs ? [...unique.slice(0, policy.maxArticleRefs - 1), unique.at(-1) as ArticleRef] : unique;
  const events = kept.map((r) => (r.event ?? (legacy ? memberEvent(r, legacy) : undefined)) as EventSignature);
  const leadAt = events.reduce((best, e, i) => (e.severity > (events[best] as EventSignature).severity ? i : best), 0);
  const lead = events[leadAt] as EventSignature;
  const types: EventType[] = [];
  for (const e of events) for (const t of e.types) if (!types.includes(t)) types.push(t);
  let status: StoryStatus | undefined;
  for (const e of events) status = nextStatus(status, e);
  const { status: _previous, ...rest } = base;
  return {
    ...rest,
    primaryType: lead.primary,
    types,
    severity: Math.max(...events.map((e) => e.severity)),
    confidence: Math.max(...events.map((e) => e.confidence)),
    actors: events.reduce<Actor[]>((all, e) => mergeActors(all, e.actors), []),
    eventDates: events.reduce<EventDate[]>((all, e) => mergeDates(all, e.dates), []),
    headline: (kept[leadAt] as ArticleRef).title,
    evidence: lead.evidence,
    firstSeen: (kept[0] as ArticleRef).publishedAt,
    lastSeen: (kept.at(-1) as ArticleRef).publishedAt,
    sourceCount: new Set(unique.map((r) => r.outlet)).size,
    articles: kept,
    tokens: [...new Set(events.flatMap((e) => e.tokens))].slice(0, 200),
    // The report names the classifier behind the data; a story re-read by newer rules says so.
    classifierVersion: CLASSIFIER_VERSION,
    ...(status ? { status } : {}),
  } as Story;
}

/** The lifecycle of an announced event after one more report, read in publish order. */
function nextStatus(current: StoryStatus | undefined, event: EventSignature): StoryStatus | undefined {
  switch (event.lifecycle) {
    case 'cancelled':
    case 'postponed':
      return event.lifecycle;
    case 'scheduled':
      return !current || current === 'scheduled' ? 'scheduled' : current;
    case 'held':
      return current ? 'held' : undefined;
    default:
      return current;
  }
}

/** Stable story id: the first article's id, so two workers racing on one article agree. */
export function newStory(article: Article, policy: StoryPolicy = DEFAULT_STORY_POLICY): Story {
  const c = article.classification;
  if (!c.relevant || !c.primary || !c.dyad) throw new Error(`article ${article.articleId} is not relevant; it cannot start a story`);
  return fromMembers({ storyId: stableId('story', article.articleId), dyad: c.dyad, alertLevel: 0, version: 0 }, [ref(article)], null, policy);
}

/** The story with one more report. Idempotent: adding an article it already holds changes nothing. */
export function addToStory(story: Story, article: Article, policy: StoryPolicy = DEFAULT_STORY_POLICY): Story {
  if (story.articles.some((a) => a.articleId === article.articleId)) return story;
  return fromMembers(story, [...story.articles, ref(article)], story, policy);
}

/**
 * One story from several found to be one event: every report of each, under the oldest one's
 * id; the others' ids are kept in `mergedFrom`, so the alerts they sent count as sent.
 */
export function mergeStories(stories: Story[], policy: StoryPolicy = DEFAULT_STORY_POLICY): Story {
  const [keep, ...others] = [...stories].sort(byAge) as [Story, ...Story[]];
  if (!others.length) return keep;
  const mergedFrom = [...new Set([...(keep.mergedFrom ?? []), ...others.flatMap((s) => [s.storyId, ...(s.mergedFrom ?? [])])])].sort();
  const refs = stories.flatMap((s) => s.articles.map((r) => (r.event ? r : { ...r, event: memberEvent(r, s) })));
  return fromMembers({ ...keep, mergedFrom, alertLevel: Math.max(...stories.map((s) => s.alertLevel)) }, refs, keep, policy);
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

/**
 * The stories a sequence of articles makes, placed one by one in the given order as ingest
 * places them (the story eval and the order-independence tests use it; ingest does the same
 * against the stored stories).
 */
export function storiesFrom(articles: Iterable<Article>, policy: StoryPolicy = DEFAULT_STORY_POLICY): Story[] {
  const stories = new Map<string, Story>();
  for (const article of articles) {
    if (!article.classification.relevant) continue;
    const { story, absorbed } = placeArticle(article, [...stories.values()], policy);
    for (const gone of absorbed) stories.delete(gone.storyId);
    stories.set(story.storyId, story);
  }
  return [...stories.values()];
}
