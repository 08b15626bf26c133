import { describe, expect, it } from 'vitest';
import { alertLevelFor, basisOf, type AlertClaim } from '#shared/domain/alert-decision.ts';
import type { Story } from '#shared/domain/types.ts';

const NOW = '2024-01-17T12:00:00.000Z';
const LEASE = 300;

function story(overrides: Partial<Story> = {}): Story {
  return {
    storyId: 's1', dyad: 'IR-PK', primaryType: 'protest', types: ['protest'], severity: 4, confidence: 0.9, actors: [], eventDates: [], headline: 'h', evidence: '',
    firstSeen: NOW, lastSeen: NOW, sourceCount: 1, articles: [], tokens: [], alertLevel: 1, version: 1, ...overrides,
  };
}
const claim = (storyId: string, level: number, s: Story, status: AlertClaim['status'] = 'sent', claimedAt = NOW): AlertClaim => ({ storyId, level, status, claimedAt, basis: basisOf(s) });

describe('alertLevelFor', () => {
  it('alerts a confirmed story at level 1 when nothing was told, and never an unconfirmed one', () => {
    expect(alertLevelFor(story(), [], NOW, LEASE)).toBe(1);
    expect(alertLevelFor(story({ alertLevel: 0 }), [], NOW, LEASE)).toBeNull();
  });

  it('tells nothing again when the story says nothing more than was told', () => {
    const told = story();
    expect(alertLevelFor(story({ sourceCount: 5 }), [claim('s1', 1, told)], NOW, LEASE)).toBeNull();
  });

  it('goes one level up for a higher severity, a new serious type or an announced event called off', () => {
    const told = story();
    expect(alertLevelFor(story({ severity: 5 }), [claim('s1', 1, told)], NOW, LEASE)).toBe(2);
    expect(alertLevelFor(story({ types: ['protest', 'envoy_recall'] }), [claim('s1', 1, told)], NOW, LEASE)).toBe(2);
    const visit = story({ primaryType: 'visit', types: ['visit'], severity: 3, status: 'scheduled' });
    expect(alertLevelFor({ ...visit, status: 'postponed' }, [claim('s1', 1, visit)], NOW, LEASE)).toBe(2);
  });

  it('counts what the stories merged into this one told: no second alert for the same event', () => {
    const strike = story({ storyId: 's2', primaryType: 'strike', types: ['strike'], severity: 5 });
    const protest = story();
    const merged = story({ primaryType: 'strike', types: ['strike', 'protest'], severity: 5, mergedFrom: ['s2'] });
    expect(alertLevelFor(merged, [claim('s1', 1, protest), claim('s2', 1, strike)], NOW, LEASE)).toBeNull();
    // Told only the protest: the strike is news.
    expect(alertLevelFor(merged, [claim('s1', 1, protest)], NOW, LEASE)).toBe(2);
  });

  it('counts a live claim as told and ignores one past its lease', () => {
    const told = story();
    expect(alertLevelFor(story(), [claim('s1', 1, told, 'claimed')], NOW, LEASE)).toBeNull();
    expect(alertLevelFor(story(), [claim('s1', 1, told, 'claimed', '2024-01-17T11:00:00.000Z')], NOW, LEASE)).toBe(1);
    expect(alertLevelFor(story(), [claim('s1', 1, told, 'suppressed')], NOW, LEASE)).toBeNull();
  });

  it('falls back on the story’s own level for claims stored without a basis', () => {
    const legacy: AlertClaim = { storyId: 's1', level: 1, status: 'sent', claimedAt: NOW };
    expect(alertLevelFor(story({ alertLevel: 1 }), [legacy], NOW, LEASE)).toBeNull();
    expect(alertLevelFor(story({ alertLevel: 2 }), [legacy], NOW, LEASE)).toBe(2);
  });
});
