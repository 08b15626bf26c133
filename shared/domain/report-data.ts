import { TYPE_LABEL } from './alert-text.ts';
import { canonicalUrl } from './canonical-url.ts';
import { applyStory, emptyDyadState } from './dyad-state.ts';
import { EVENT_TYPES, type DyadState, type EventType, type Story, type StoryStatus } from './types.ts';

/**
 * What the analyst report shows, prepared from stored stories: one mark per story at its event
 * date, the ambassadors' state as bands, counts per type and per month, and the classifier
 * versions behind the data. Pure: the rendering is elsewhere and escapes every string from here.
 */

/**
 * One colour per type, fixed so reports compare: Paul Tol's "muted" scheme (built to stay apart
 * for the common colour-vision deficiencies) plus his vibrant orange for trade and grey for other.
 */
export const TYPE_COLOUR: Record<EventType, string> = {
  strike: '#882255',
  border_incident: '#CC6677',
  envoy_recall: '#AA4499',
  protest: '#DDCC77',
  envoy_return: '#44AA99',
  de_escalation: '#117733',
  agreement: '#999933',
  talks: '#88CCEE',
  visit: '#332288',
  trade_energy: '#EE7733',
  other: '#BBBBBB',
};

/** Hostile acts, drawn above the timeline's centre line; the classifier's conflict types. */
export const TENSION_TYPES: readonly EventType[] = ['strike', 'border_incident', 'envoy_recall', 'protest'];

/** A reported date further back than this from the first report is more likely background than the event. */
const MAX_REPORTED_LAG_DAYS = 31;
const DAY_MS = 86_400_000;

export interface ReportSource {
  outlet: string;
  title: string;
  /** only public http(s) links; null when the stored one is anything else */
  url: string | null;
  publishedAt: string;
}

export interface ReportMark {
  storyId: string;
  /** YYYY-MM-DD: where the mark sits */
  date: string;
  /** why that date: a date the reports give for the event, the scheduled date of an event since held, or the first report */
  dateBasis: 'reported' | 'held' | 'first-seen';
  type: EventType;
  typeLabel: string;
  colour: string;
  tension: boolean;
  types: EventType[];
  severity: number;
  radius: number;
  /** "Pakistan → Iran" for a directed act, "Iran and Pakistan" otherwise */
  who: string;
  /** named actors: "Hossein Amirabdollahian (Iran, foreign minister)" */
  named: string[];
  headline: string;
  sourceCount: number;
  sources: ReportSource[];
  status?: StoryStatus;
  /** the first scheduled date of an announced event */
  scheduledFor?: string;
  stateNote?: string;
  firstSeen: string;
}

export interface StateBand {
  state: 'recalled';
  /** YYYY-MM-DD of the recall's mark */
  from: string;
  /** YYYY-MM-DD of the return's mark; null while no return is reported in the range */
  to: string | null;
  days: number | null;
  fromStoryId: string;
  toStoryId: string | null;
}

export interface TypeCount {
  type: EventType;
  label: string;
  colour: string;
  count: number;
}

export interface MonthCount {
  /** YYYY-MM */
  month: string;
  total: number;
  byType: Partial<Record<EventType, number>>;
}

export interface ReportData {
  dyad: string;
  /** "Iran – Pakistan" */
  title: string;
  since: string;
  until: string;
  generatedAt: string;
  marks: ReportMark[];
  bands: StateBand[];
  /** every type, in the taxonomy's order, zeros included (the legend) */
  typeCounts: TypeCount[];
  /** every month from the first mark's to the last's, zeros included */
  monthCounts: MonthCount[];
  classifierVersions: { versions: string[]; unrecorded: number };
  /** first and last day on the timeline (marks and bands); null without marks */
  span: { start: string; end: string } | null;
}

export interface ReportOptions {
  dyad: string;
  since: string;
  until: string;
  generatedAt: string;
  /** ISO code → name, from the watch files; a code without one shows as the code */
  countryNames?: Record<string, string>;
}

/** Severity 1–5 to a radius in timeline units: the area roughly doubles from 1 to 3 and again to 5. */
export function markRadius(severity: number): number {
  const s = Math.min(5, Math.max(1, Math.round(Number.isFinite(severity) ? severity : 1)));
  return 4 + 2 * s;
}

const dayOf = (iso: string) => iso.slice(0, 10);
const isDay = (value: unknown): value is string => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / DAY_MS);

/**
 * Where a story sits in time: the earliest date its reports give for the event (not before the
 * first report by more than a month, which would be background), else the scheduled date of an
 * announced event reported held, else the day of the first report. An event only announced sits
 * on the day it was announced: that is the news so far.
 */
export function eventDate(story: Story): { date: string; basis: ReportMark['dateBasis'] } {
  const first = dayOf(story.firstSeen);
  const reported = story.eventDates
    .filter((d) => d.kind !== 'scheduled' && isDay(d.date) && d.date <= first && daysBetween(d.date, first) <= MAX_REPORTED_LAG_DAYS)
    .map((d) => d.date)
    .sort()[0];
  if (reported) return { date: reported, basis: 'reported' };
  if (story.status === 'held') {
    const held = story.eventDates
      .filter((d) => d.kind === 'scheduled' && isDay(d.date) && d.date >= first && d.date <= dayOf(story.lastSeen))
      .map((d) => d.date)
      .sort()[0];
    if (held) return { date: held, basis: 'held' };
  }
  return { date: first, basis: 'first-seen' };
}

function countryName(code: string, names: Record<string, string>): string {
  return names[code] ?? code;
}

/** "Pakistan → Iran" when the act has a direction, else the two states; plus the named people. */
export function whoDidWhat(story: Story, names: Record<string, string> = {}): { who: string; named: string[] } {
  const actors = story.actors as (Story['actors'][number] & { side?: string })[];
  const source = actors.find((a) => a.side === 'source');
  const target = actors.find((a) => a.side === 'target');
  const who =
    source && target && source.country !== target.country
      ? `${countryName(source.country, names)} → ${countryName(target.country, names)}`
      : story.dyad
          .split('-')
          .map((c) => countryName(c, names))
          .join(' and ');
  const named = actors.filter((a) => a.name).map((a) => `${a.name} (${[countryName(a.country, names), a.role].filter(Boolean).join(', ')})`);
  return { who, named };
}

function sourcesOf(story: Story): ReportSource[] {
  return [...story.articles]
    .sort((a, b) => a.publishedAt.localeCompare(b.publishedAt))
    .map((a) => {
      const url = typeof a.url === 'string' ? canonicalUrl(a.url) : null;
      const outlet = typeof a.outlet === 'string' && a.outlet.trim() ? a.outlet.trim() : url ? new URL(url).hostname : 'unnamed outlet';
      return { outlet, title: typeof a.title === 'string' ? a.title : '', url, publishedAt: a.publishedAt };
    });
}

function toMark(story: Story, names: Record<string, string>): ReportMark {
  const { date, basis } = eventDate(story);
  const { who, named } = whoDidWhat(story, names);
  const scheduledFor = story.eventDates.filter((d) => d.kind === 'scheduled' && isDay(d.date)).map((d) => d.date).sort()[0];
  return {
    storyId: story.storyId,
    date,
    dateBasis: basis,
    type: story.primaryType,
    typeLabel: TYPE_LABEL[story.primaryType] ?? story.primaryType,
    colour: TYPE_COLOUR[story.primaryType] ?? TYPE_COLOUR.other,
    tension: TENSION_TYPES.includes(story.primaryType),
    types: story.types,
    severity: story.severity,
    radius: markRadius(story.severity),
    who,
    named,
    headline: story.headline,
    sourceCount: story.sourceCount,
    sources: sourcesOf(story),
    ...(story.status ? { status: story.status } : {}),
    ...(scheduledFor ? { scheduledFor } : {}),
    ...(story.stateNote ? { stateNote: story.stateNote } : {}),
    firstSeen: story.firstSeen,
  };
}

/** A return only announced, or announced and then put off, has not put the ambassadors back. */
function asLived(story: Story): Story {
  const pending = story.status === 'scheduled' || story.status === 'postponed' || story.status === 'cancelled';
  return pending && story.types.includes('envoy_return') ? { ...story, types: story.types.filter((t) => t !== 'envoy_return') } : story;
}

/**
 * The ambassadors' state over the range, by replaying the stories in event-date order through
 * the dyad-state rules the alerts use: recalled from a recall's date until a return's date,
 * open-ended when no return follows. Only stories in the range count: a recall before it is unknown here.
 */
export function stateBands(stories: Story[], marks: ReportMark[], dyad: string): StateBand[] {
  const byId = new Map(stories.map((s) => [s.storyId, s]));
  const bands: StateBand[] = [];
  let state: DyadState = emptyDyadState(dyad);
  let open: { from: string; fromStoryId: string } | null = null;
  for (const mark of marks) {
    const story = byId.get(mark.storyId);
    if (!story) continue;
    const before = state.ambassadors;
    state = applyStory(state, asLived(story), [], `${mark.date}T00:00:00.000Z`).state;
    if (before !== 'recalled' && state.ambassadors === 'recalled') open = { from: mark.date, fromStoryId: mark.storyId };
    if (before === 'recalled' && state.ambassadors === 'in-post' && open) {
      bands.push({ state: 'recalled', from: open.from, to: mark.date, days: daysBetween(open.from, mark.date), fromStoryId: open.fromStoryId, toStoryId: mark.storyId });
      open = null;
    }
  }
  if (open) bands.push({ state: 'recalled', from: open.from, to: null, days: null, fromStoryId: open.fromStoryId, toStoryId: null });
  return bands;
}

function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = first.split('-').map(Number) as [number, number];
  const [ly, lm] = last.split('-').map(Number) as [number, number];
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

export function prepareReport(stories: Story[], options: ReportOptions): ReportData {
  const names = options.countryNames ?? {};
  const marks = stories
    .map((s) => toMark(s, names))
    .sort((a, b) => a.date.localeCompare(b.date) || a.firstSeen.localeCompare(b.firstSeen) || a.storyId.localeCompare(b.storyId));
  const bands = stateBands(stories, marks, options.dyad);

  const typeCounts = EVENT_TYPES.map((type) => ({ type, label: TYPE_LABEL[type], colour: TYPE_COLOUR[type], count: marks.filter((m) => m.type === type).length }));
  const monthCounts: MonthCount[] = marks.length
    ? monthsBetween((marks[0] as ReportMark).date.slice(0, 7), (marks.at(-1) as ReportMark).date.slice(0, 7)).map((month) => {
        const inMonth = marks.filter((m) => m.date.startsWith(month));
        const byType: Partial<Record<EventType, number>> = {};
        for (const m of inMonth) byType[m.type] = (byType[m.type] ?? 0) + 1;
        return { month, total: inMonth.length, byType };
      })
    : [];

  const versions = [...new Set(stories.map((s) => s.classifierVersion).filter((v): v is string => typeof v === 'string' && v.length > 0))].sort();
  const unrecorded = stories.filter((s) => !s.classifierVersion).length;

  const days = [...marks.map((m) => m.date), ...bands.flatMap((b) => (b.to ? [b.from, b.to] : [b.from]))].sort();
  const span = days.length ? { start: days[0] as string, end: days.at(-1) as string } : null;

  return {
    dyad: options.dyad,
    title: options.dyad
      .split('-')
      .map((c) => countryName(c, names))
      .join(' – '),
    since: options.since,
    until: options.until,
    generatedAt: options.generatedAt,
    marks,
    bands,
    typeCounts,
    monthCounts,
    classifierVersions: { versions, unrecorded },
    span,
  };
}
