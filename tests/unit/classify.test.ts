import { describe, it, expect } from 'vitest';
import { createClassifier, type ClassifyInput } from '#shared/domain/classify.ts';
import { EVENT_TYPES, type Actor, type Classification } from '#shared/domain/types.ts';
import { loadWatches } from '#shared/watches.ts';

/** All fixtures below are written for these tests; none is copied from an article. */
const classify = createClassifier(loadWatches());
const PUBLISHED = '2024-01-22T09:00:00Z';

function run(title: string, summary = '', published = PUBLISHED): Classification {
  return classify({ title, summary, published });
}

type SidedActor = Actor & { side?: 'source' | 'target' };
function sideOf(result: Classification, country: string): string | undefined {
  return (result.actors as SidedActor[]).find((a) => a.country === country)?.side;
}

describe('classify: envoy polarity', () => {
  it('codes "ambassadors return to their posts" as envoy_return', () => {
    const r = run('Iran and Pakistan ambassadors return to their posts');
    expect(r).toMatchObject({ relevant: true, primary: 'envoy_return', dyad: 'IR-PK' });
    expect(r.types).not.toContain('envoy_recall');
  });

  it('codes envoys resuming their duties as envoy_return', () => {
    expect(run('Iran and Pakistan ambassadors resume duties').primary).toBe('envoy_return');
  });

  it('codes restored diplomatic ties as envoy_return', () => {
    expect(run('Pakistan and Iran agree to restore diplomatic ties').primary).toBe('envoy_return');
  });

  it('codes "Pakistan recalls its ambassador from Tehran" as envoy_recall, Pakistan acting', () => {
    const r = run('Pakistan recalls its ambassador from Tehran');
    expect(r).toMatchObject({ relevant: true, primary: 'envoy_recall', dyad: 'IR-PK' });
    expect(r.types).not.toContain('envoy_return');
    expect(sideOf(r, 'PK')).toBe('source');
    expect(sideOf(r, 'IR')).toBe('target');
  });

  it('codes an envoy "asked to return home" as envoy_recall, not envoy_return', () => {
    const r = run('Pakistani ambassador asked to return home from Tehran');
    expect(r.primary).toBe('envoy_recall');
    expect(r.types).not.toContain('envoy_return');
  });

  it('codes an expulsion as envoy_recall', () => {
    expect(run('Islamabad expels Iranian ambassador').primary).toBe('envoy_recall');
  });

  it('codes barring the other side\'s envoy from returning as envoy_recall', () => {
    const r = run('Pakistan recalls envoy from Iran, bars Iranian ambassador from returning');
    expect(r.primary).toBe('envoy_recall');
    expect(r.types).not.toContain('envoy_return');
  });
});

describe('classify: strikes keep their direction', () => {
  it('codes Iran striking inside Pakistan with Iran as source and Pakistan as target', () => {
    const r = run('Iran launches missile strikes inside Pakistan', 'Iranian forces hit targets in Balochistan province, Pakistani officials said.');
    expect(r).toMatchObject({ relevant: true, primary: 'strike', dyad: 'IR-PK' });
    expect(sideOf(r, 'IR')).toBe('source');
    expect(sideOf(r, 'PK')).toBe('target');
  });

  it('codes Pakistan striking inside Iran with Pakistan as source and Iran as target', () => {
    const r = run('Pakistan carries out strikes inside Iran', 'Pakistani jets hit hideouts in Sistan-Baluchestan, the Foreign Office said.');
    expect(r.primary).toBe('strike');
    expect(sideOf(r, 'PK')).toBe('source');
    expect(sideOf(r, 'IR')).toBe('target');
  });

  it('takes the target from the struck territory, not from who is named first', () => {
    const r = run("Pakistani jets strike militant hideouts in Iran's Sistan-Baluchestan");
    expect(r.primary).toBe('strike');
    expect(sideOf(r, 'PK')).toBe('source');
    expect(sideOf(r, 'IR')).toBe('target');
  });

  it.each([
    ['Pakistan shoots down Iranian surveillance drone over Kech'],
    ['Foreign Office confirms shooting down Iranian drone near the border'],
    ['Iranian drone downed after straying into Pakistani airspace'],
    ['Pakistan shoots down Iranian drones over Panjgur'],
  ])('codes a drone brought down as a border incident by the side that brought it down, not a strike: %s', (title) => {
    const r = run(title, 'The unmanned aircraft had crossed into Pakistani airspace, officials said.');
    expect(r.primary).toBe('border_incident');
    expect(r.types).not.toContain('strike');
    expect(sideOf(r, 'PK')).toBe('source');
    expect(sideOf(r, 'IR')).toBe('target');
  });

  it('codes drones hitting a named Pakistani district as an Iranian strike', () => {
    const r = run("Iranian drones hit targets in Pakistan's Panjgur district");
    expect(r.primary).toBe('strike');
    expect(sideOf(r, 'IR')).toBe('source');
    expect(sideOf(r, 'PK')).toBe('target');
  });
});

describe('classify: background conflict is not the news', () => {
  it('never makes "after last week\'s strikes" the primary type, nor a type at all', () => {
    const r = run("Iran, Pakistan hold talks after last week's cross-border strikes");
    expect(r.relevant).toBe(true);
    expect(r.primary).toBe('talks');
    expect(r.types).not.toContain('strike');
    expect(r.types).not.toContain('border_incident');
  });

  it('drops strikes named as the reason for a phone call', () => {
    const r = run("Iranian and Pakistani foreign ministers speak by phone after last week's strikes");
    expect(r.primary).toBe('talks');
    expect(r.types).not.toContain('strike');
  });

  it('drops strikes named as the reason for a protest', () => {
    const r = run('Iran summons Pakistani envoy over strikes');
    expect(r.primary).toBe('protest');
    expect(r.types).not.toContain('strike');
  });

  it('keeps restored ambassadors as the news when strikes are background', () => {
    const r = run("Pakistan and Iran agree to restore ambassadors after last week's missile strikes");
    expect(r.primary).toBe('envoy_return');
    expect(r.types).not.toContain('strike');
  });
});

describe('classify: third parties and other non-events', () => {
  it.each([
    ['Pakistan condemns Israeli strikes on Iran'],
    ['US warns Pakistan over Iran gas pipeline'],
    ['China urges Iran and Pakistan to show restraint'],
    ['China urges Iran and Pakistan to de-escalate tensions'],
    ['UN chief urges Iran and Pakistan to de-escalate after strikes'],
    ['Iranian foreign minister arrives in Islamabad for ECO summit'],
    ['Iranian foreign minister in Islamabad for ECO summit'],
  ])('is not relevant: %s', (title) => {
    expect(run(title)).toMatchObject({ relevant: false, types: [], primary: null, dyad: null });
  });

  it.each([
    ['Pakistan beat Iran by five wickets in cricket match'],
    ['Pakistan cricket team beats Iran in T20 match in Tehran'],
    ['Pakistan beats Iran 3-1 in football friendly'],
    ['Iran-Pakistan football friendly ends in a draw'],
  ])('is not relevant, being sport: %s', (title) => {
    expect(run(title).relevant).toBe(false);
  });

  it('codes a bilateral meeting on the sidelines of a summit as relevant talks', () => {
    const r = run('Iran and Pakistan foreign ministers meet on the sidelines of ECO summit');
    expect(r).toMatchObject({ relevant: true, primary: 'talks', dyad: 'IR-PK' });
  });

  it('codes bilateral talks on the sidelines of an SCO summit as relevant talks', () => {
    expect(run('Pakistan and Iran hold bilateral talks on sidelines of SCO summit')).toMatchObject({ relevant: true, primary: 'talks' });
  });
});

describe('classify: de_escalation', () => {
  it('codes the two sides agreeing to de-escalate as de_escalation', () => {
    const r = run('Iran and Pakistan agree to de-escalate tensions');
    expect(r).toMatchObject({ relevant: true, primary: 'de_escalation' });
  });

  it('codes a call in which the two agree to de-escalate as de_escalation with talks', () => {
    const r = run('Iran and Pakistan foreign ministers agree in phone call to de-escalate tensions');
    expect(r.types).toEqual(expect.arrayContaining(['de_escalation', 'talks']));
  });

  it('does not code de_escalation when only a third party urges it', () => {
    const r = run('Iran and Pakistan hold talks as China urges both to ease tensions');
    expect(r).toMatchObject({ relevant: true, primary: 'talks' });
    expect(r.types).not.toContain('de_escalation');
  });
});

describe('classify: severity follows TAXONOMY.md', () => {
  it.each([
    ['Iran launches missile strikes inside Pakistan', 5],
    ['Pakistan recalls its ambassador from Tehran', 4],
    ['Iran and Pakistan ambassadors return to their posts', 3],
    ['Iran and Pakistan agree to de-escalate tensions', 3],
    ['Iranian president visits Pakistan', 3],
    ['Pakistani interior minister holds talks with Iranian counterpart', 2],
    ['Pakistan, Iran sign MoU on barter trade', 2],
  ])('%s → severity %i', (title, severity) => {
    expect(run(title).severity).toBe(severity);
  });

  it('gives severity 0 to an item that is not relevant', () => {
    expect(run('Pakistan beat Iran by five wickets in cricket match').severity).toBe(0);
  });
});

describe('classify: actors', () => {
  it('resolves "Iranian foreign minister" and "Pakistani counterpart" to the office holders on the publish day', () => {
    const r = run('Iranian foreign minister holds talks with Pakistani counterpart');
    expect(r.actors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ country: 'IR', name: 'Hossein Amirabdollahian' }),
        expect.objectContaining({ country: 'PK', name: 'Jalil Abbas Jilani' }),
      ]),
    );
  });

  it('resolves the office holder for a different publish date', () => {
    const r = run('Iranian foreign minister holds talks with Pakistani counterpart', '', '2024-10-01T09:00:00Z');
    expect(r.actors).toEqual(
      expect.arrayContaining([expect.objectContaining({ country: 'IR', name: 'Abbas Araghchi' }), expect.objectContaining({ country: 'PK', name: 'Ishaq Dar' })]),
    );
  });

  it('lists both countries even when no official is named', () => {
    expect(run('Pakistan and Iran hold talks in Islamabad').actors.map((a) => a.country).sort()).toEqual(['IR', 'PK']);
  });
});

describe('classify: a report like the design seed', () => {
  // Paraphrased in our own words from the situation described in /work/shared/seeds/README.md.
  const seedLike: ClassifyInput = {
    title: 'Iranian and Pakistani envoys to go back to their posts as the two neighbours ease tensions',
    summary:
      'Tehran and Islamabad said on Monday that their ambassadors would be back at their posts by January 26. ' +
      'Iranian Foreign Minister Hossein Amirabdollahian is to visit Pakistan on January 29 at the invitation of his Pakistani counterpart Jalil Abbas Jilani, after the two ministers spoke by phone. ' +
      'Iran and Pakistan agreed last week to de-escalate after an exchange of cross-border strikes.',
    published: PUBLISHED,
  };
  const r = classify(seedLike);

  it('is a relevant IR-PK item with envoy_return as the primary type', () => {
    expect(r).toMatchObject({ relevant: true, dyad: 'IR-PK', primary: 'envoy_return', severity: 3 });
  });

  it('also codes the visit, the call and the agreement to de-escalate', () => {
    expect(r.types).toEqual(expect.arrayContaining(['envoy_return', 'visit', 'talks', 'de_escalation']));
  });

  it('treats last week\'s strikes as background, not as a new strike event', () => {
    expect(r.types).not.toContain('strike');
    expect(r.types).not.toContain('border_incident');
    expect(r.types).not.toContain('envoy_recall');
  });

  it('resolves the return date 2024-01-26 and the visit date 2024-01-29 as scheduled', () => {
    expect(r.dates).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ date: '2024-01-26', kind: 'scheduled' }),
        expect.objectContaining({ date: '2024-01-29', kind: 'scheduled' }),
      ]),
    );
  });

  it('names the two foreign ministers with their countries', () => {
    expect(r.actors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ country: 'IR', name: 'Hossein Amirabdollahian' }),
        expect.objectContaining({ country: 'PK', name: 'Jalil Abbas Jilani' }),
      ]),
    );
  });

  it('quotes a sentence of the item as evidence', () => {
    expect(r.evidence.length).toBeGreaterThan(0);
    expect(`${seedLike.title} ${seedLike.summary}`).toContain(r.evidence);
  });
});

describe('classify: output contract', () => {
  const inputs: string[] = [
    'Iran and Pakistan ambassadors return to their posts',
    'Pakistan recalls its ambassador from Tehran',
    'Iran launches missile strikes inside Pakistan',
    "Iran, Pakistan hold talks after last week's cross-border strikes",
    'Pakistan, Iran sign MoU on barter trade',
    'Iranian president visits Pakistan',
    'Iran summons Pakistani envoy over strikes',
    'Pakistan condemns Israeli strikes on Iran',
    'Pakistan beat Iran by five wickets in cricket match',
    'Weather: heavy snow expected in the north',
    '',
  ];

  it.each(inputs)('keeps the contract for %j', (title) => {
    const r = run(title);
    expect(r.types.every((t) => (EVENT_TYPES as readonly string[]).includes(t))).toBe(true);
    expect(new Set(r.types).size).toBe(r.types.length);
    expect(r.confidence).toBeGreaterThanOrEqual(0);
    expect(r.confidence).toBeLessThanOrEqual(1);
    expect(r.severity).toBeGreaterThanOrEqual(0);
    expect(r.severity).toBeLessThanOrEqual(5);
    if (r.relevant) {
      expect(r.primary).not.toBeNull();
      expect(r.types).toContain(r.primary);
      expect(r.types[0]).toBe(r.primary);
      expect(r.dyad).toBe('IR-PK');
      expect(r.severity).toBeGreaterThanOrEqual(1);
    } else {
      expect(r.primary).toBeNull();
      expect(r.types).toEqual([]);
      expect(r.dyad).toBeNull();
    }
  });

  it('resolves no dates when no publish time is given', () => {
    expect(classify({ title: 'Iranian foreign minister to visit Pakistan on January 29' }).dates).toEqual([]);
  });

  it('is deterministic', () => {
    const input = { title: 'Iran launches missile strikes inside Pakistan', summary: 'Officials in Islamabad protested.', published: PUBLISHED };
    expect(classify(input)).toEqual(classify(input));
  });
});
