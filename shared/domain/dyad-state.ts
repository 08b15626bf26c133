import type { DyadState, EventType, Story, StoryStatus } from './types.ts';

/**
 * The relationship's state (ambassadors in post or recalled, last strike, last high-level visit)
 * and what a story changes in it, as a line for the alert: "first ambassador recall since
 * 2019-04-20", "ambassadors back in post after 9 days".
 */
export function emptyDyadState(dyad: string): DyadState {
  return { dyad, ambassadors: 'unknown', version: 0 };
}

const day = (iso: string) => iso.slice(0, 10);
const daysBetween = (a: string, b: string) => Math.max(0, Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000));

/** An announced event that has not (or not yet) happened. */
const notLived = (status: StoryStatus | undefined) => status === 'scheduled' || status === 'postponed' || status === 'cancelled';

/**
 * The state after a story changed, and the line for its alert. `previousTypes` and
 * `previousStatus` are the story's before this change. A return of ambassadors that is only
 * announced ("will return by January 26") changes nothing yet: the note says it is announced,
 * and the state moves when a later report says it took place (status scheduled → held).
 */
export function applyStory(state: DyadState, story: Story, previousTypes: readonly EventType[], at: string, previousStatus?: StoryStatus): { state: DyadState; note?: string } {
  const added = new Set(story.types.filter((t) => !previousTypes.includes(t)));
  const notes: string[] = [];
  const next: DyadState = { ...state };
  const returnAnnounced = added.has('envoy_return') && notLived(story.status);
  const returnLived = story.types.includes('envoy_return') && !notLived(story.status) && (added.has('envoy_return') || (notLived(previousStatus) && story.status === 'held'));
  if (returnAnnounced) {
    const date = story.eventDates.find((d) => d.kind === 'scheduled')?.date;
    notes.push(`return of ambassadors announced${date ? ` for ${date}` : ''}`);
  }
  if (added.has('envoy_recall')) {
    notes.push(state.lastRecallAt ? `first ambassador recall since ${day(state.lastRecallAt)}` : 'ambassadors recalled (no earlier recall on record here)');
    next.ambassadors = 'recalled';
    next.ambassadorsSince = at;
    next.lastRecallAt = at;
  }
  if (returnLived) {
    // Reported held a day after the fact: the return happened on its announced date.
    const scheduled = story.eventDates.find((d) => d.kind === 'scheduled')?.date;
    const when = story.status === 'held' && scheduled && `${scheduled}T00:00:00.000Z` <= at && (!state.ambassadorsSince || `${scheduled}T23:59:59.999Z` >= state.ambassadorsSince) ? `${scheduled}T00:00:00.000Z` : at;
    notes.push(state.ambassadors === 'recalled' && state.ambassadorsSince ? `ambassadors back in post after ${daysBetween(state.ambassadorsSince, when)} days` : 'ambassadors in post');
    next.ambassadors = 'in-post';
    next.ambassadorsSince = when;
    next.lastReturnAt = when;
  }
  if (added.has('strike')) {
    notes.push(state.lastStrikeAt ? `first strike since ${day(state.lastStrikeAt)}` : 'first strike on record here');
    next.lastStrikeAt = at;
  }
  if (added.has('visit') && story.severity >= 3 && story.status !== 'cancelled' && story.status !== 'postponed') {
    if (state.lastHighLevelVisitAt) notes.push(`first high-level visit since ${day(state.lastHighLevelVisitAt)}`);
    next.lastHighLevelVisitAt = at;
  }
  if (story.status === 'cancelled' || story.status === 'postponed') notes.push(`the announced ${story.primaryType.replace('_', ' ')} was ${story.status}`);
  return notes.length ? { state: next, note: notes.join('; ') } : { state: next };
}

/** Whether a story change can move the dyad state (a cheap check before reading it). */
export function touchesDyadState(story: Story, previousTypes: readonly EventType[]): boolean {
  return story.types.some((t) => !previousTypes.includes(t) && (t === 'envoy_recall' || t === 'envoy_return' || t === 'strike' || t === 'visit'));
}
