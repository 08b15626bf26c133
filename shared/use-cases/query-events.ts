import type { EventStore } from '../ports.ts';
import type { EventDate, EventType, Story } from '../domain/types.ts';
import { isEventType } from '../domain/types.ts';
import { QueryError } from '../errors.ts';

export interface EventRecord {
  storyId: string;
  primaryType: EventType;
  types: EventType[];
  severity: number;
  dyad: string;
  eventDates: EventDate[];
  firstSeen: string;
  lastSeen: string;
  sourceCount: number;
  headline: string;
  articles: { url: string | null; title: string; outlet: string; publishedAt: string }[];
}

export interface EventFilter {
  type?: string;
  dyad?: string;
  since: string;
  until: string;
}


/**
 * Stored events (stories) in a time range, optionally of one dyad and type.
 * Uses the dyad index when a dyad is given and the day index otherwise; never a Scan.
 */
export async function queryEvents(store: EventStore, filter: EventFilter): Promise<EventRecord[]> {
  return (await queryStories(store, filter)).map(toRecord);
}

/**
 * The same query, giving the whole stories (actors, status, state notes, classifier version) to
 * readers that need more than the query CLI's contract, such as the report.
 */
export async function queryStories(store: EventStore, filter: EventFilter): Promise<Story[]> {
  if (filter.type && !isEventType(filter.type)) throw new QueryError(`unknown event type "${filter.type}"`);
  if (filter.dyad && !/^[A-Z]{2}-[A-Z]{2}$/.test(filter.dyad)) throw new QueryError(`dyad must look like IR-PK, got "${filter.dyad}"`);
  if (filter.since > filter.until) throw new QueryError(`--since ${filter.since} is after --until ${filter.until}`);
  const dyad = filter.dyad ? filter.dyad.split('-').sort().join('-') : undefined;
  return store.queryStories({ since: filter.since, until: filter.until, ...(dyad ? { dyad } : {}), ...(filter.type ? { type: filter.type } : {}) });
}

function toRecord(s: Story): EventRecord {
  return {
    storyId: s.storyId,
    primaryType: s.primaryType,
    types: s.types,
    severity: s.severity,
    dyad: s.dyad,
    eventDates: s.eventDates,
    firstSeen: s.firstSeen,
    lastSeen: s.lastSeen,
    sourceCount: s.sourceCount,
    headline: s.headline,
    articles: s.articles.map((a) => ({ url: a.url, title: a.title, outlet: a.outlet, publishedAt: a.publishedAt })),
  };
}
