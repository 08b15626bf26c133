import { describe, it, expect } from 'vitest';
import { addToStory, DEFAULT_STORY_POLICY, findStory, isConfirmed, mergeStories, newStory, nextAlertLevel, overlap, placeArticle, sameEvent, signatureOf, storiesFrom, tokenize } from '#shared/domain/stories.ts';
import { shuffled } from '#shared/evaluation-orders.ts';
import { stableId } from '#shared/domain/canonical-url.ts';
import { CLASSIFIER_VERSION } from '#shared/domain/classify.ts';
import type { Actor, Article, Classification, Story } from '#shared/domain/types.ts';

const T0 = '2024-01-22T09:00:00.000Z';
const hoursAfter = (iso: string, h: number) => new Date(Date.parse(iso) + h * 3_600_000).toISOString();

type SidedActor = Actor & { side?: 'source' | 'target' };
const noSides: Actor[] = [{ country: 'IR' }, { country: 'PK' }];
const from = (source: 'IR' | 'PK'): SidedActor[] => [
  { country: 'IR', side: source === 'IR' ? 'source' : 'target' },
  { country: 'PK', side: source === 'PK' ? 'source' : 'target' },
];

function classification(overrides: Partial<Classification> = {}): Classification {
  const primary = overrides.primary ?? 'talks';
  return {
    relevant: true,
    types: [primary],
    primary,
    severity: 2,
    confidence: 0.85,
    actors: noSides,
    dates: [],
    evidence: 'evidence sentence',
    dyad: 'IR-PK',
    ...overrides,
  };
}

let counter = 0;
function article(title: string, opts: { outlet?: string; publishedAt?: string; summary?: string; id?: string } & Partial<Classification> = {}): Article {
  const { outlet = 'Dawn', publishedAt = T0, summary = '', id, ...c } = opts;
  counter += 1;
  const articleId = id ?? stableId('test-article', String(counter), title);
  return {
    articleId,
    url: `https://news.example.com/${articleId}`,
    title,
    summary,
    publishedAt,
    publishedFromFeed: true,
    feedId: outlet.toLowerCase(),
    outlet,
    language: 'en',
    fetchedAt: publishedAt,
    classification: classification(c),
    storyId: null,
  };
}

describe('tokenize', () => {
  it('lower-cases, drops stopwords and short words, and removes duplicates', () => {
    expect(tokenize('Iran and Pakistan: the talks in Tehran, IRAN')).toEqual(['iran', 'pakistan', 'talk', 'tehran']);
  });

  it('stems plurals and past tenses so related words match', () => {
    expect(tokenize('envoys visited agencies returning')).toEqual(['envoy', 'visit', 'agency', 'return']);
  });

  it('leaves -ss, -us and -is endings alone', () => {
    expect(tokenize('press status analysis')).toEqual(['press', 'status', 'analysis']);
  });

  it('keeps non-Latin words', () => {
    expect(tokenize('ایران پاکستان')).toEqual(['ایران', 'پاکستان']);
  });

  it('gives nothing for empty text', () => {
    expect(tokenize('')).toEqual([]);
  });
});

describe('overlap', () => {
  it('is the share of the smaller set found in the larger', () => {
    expect(overlap(['a', 'b'], ['a', 'b', 'c', 'd'])).toBe(1);
    expect(overlap(['a', 'x'], ['a', 'b', 'c'])).toBe(0.5);
  });

  it('is symmetric', () => {
    expect(overlap(['a', 'b', 'c'], ['a', 'z'])).toBe(overlap(['a', 'z'], ['a', 'b', 'c']));
  });

  it('is 0 when either side is empty', () => {
    expect(overlap([], ['a'])).toBe(0);
    expect(overlap(['a'], [])).toBe(0);
  });
});

describe('newStory', () => {
  it('starts a story from a relevant article', () => {
    const a = article('Iran and Pakistan ambassadors return to their posts', {
      primary: 'envoy_return',
      types: ['envoy_return', 'visit'],
      severity: 3,
      dates: [{ date: '2024-01-29', text: 'on January 29', kind: 'scheduled' }],
    });
    const story = newStory(a);
    expect(story).toMatchObject({
      storyId: stableId('story', a.articleId),
      dyad: 'IR-PK',
      primaryType: 'envoy_return',
      types: ['envoy_return', 'visit'],
      severity: 3,
      headline: a.title,
      firstSeen: T0,
      lastSeen: T0,
      sourceCount: 1,
      alertLevel: 0,
      version: 0,
      eventDates: [{ date: '2024-01-29', text: 'on January 29', kind: 'scheduled' }],
    });
    expect(story.articles).toEqual([{ articleId: a.articleId, url: a.url, title: a.title, outlet: 'Dawn', publishedAt: T0, event: expect.objectContaining({ primary: 'envoy_return', types: ['envoy_return', 'visit'], severity: 3 }) }]);
    expect(story.tokens).toEqual(expect.arrayContaining(['iran', 'pakistan', 'ambassador', 'return', 'post']));
  });

  it('records the classifier version that read it', () => {
    expect(newStory(article('Iran and Pakistan hold talks')).classifierVersion).toBe(CLASSIFIER_VERSION);
  });

  it('gives the same story id for the same first article', () => {
    const a = article('Iran and Pakistan hold talks', { id: 'fixed-id' });
    expect(newStory(a).storyId).toBe(newStory({ ...a }).storyId);
  });

  it('refuses an article that is not relevant', () => {
    const a = article('Cricket score', { relevant: false, primary: null, types: [], dyad: null });
    expect(() => newStory(a)).toThrow(/not relevant/);
  });
});

describe('addToStory', () => {
  it('is idempotent for the same articleId', () => {
    const a = article('Iran and Pakistan hold talks', { outlet: 'Dawn' });
    const story = newStory(a);
    expect(addToStory(story, a)).toBe(story);
    const b = article('Pakistan and Iran talks continue', { outlet: 'IRNA' });
    const twice = addToStory(addToStory(story, b), b);
    expect(twice).toEqual(addToStory(story, b));
    expect(twice.articles).toHaveLength(2);
  });

  it('stamps the current classifier version on a story stored without one', () => {
    const { classifierVersion: _, ...older } = newStory(article('Iran and Pakistan hold talks', { outlet: 'Dawn' }));
    expect(addToStory(older, article('Pakistan and Iran talks continue', { outlet: 'IRNA' })).classifierVersion).toBe(CLASSIFIER_VERSION);
  });

  it('counts distinct outlets, not articles', () => {
    const story = newStory(article('Iran and Pakistan hold talks', { outlet: 'Dawn' }));
    const sameOutlet = addToStory(story, article('Iran, Pakistan talks update', { outlet: 'Dawn' }));
    expect(sameOutlet.articles).toHaveLength(2);
    expect(sameOutlet.sourceCount).toBe(1);
    const otherOutlet = addToStory(sameOutlet, article('Tehran and Islamabad talk', { outlet: 'IRNA' }));
    expect(otherOutlet.sourceCount).toBe(2);
  });

  it('widens the time range, merges types and dates, and keeps the highest severity', () => {
    const story = newStory(article('Iran and Pakistan hold talks', { publishedAt: T0 }));
    const next = addToStory(
      story,
      article('Pakistan and Iran agree envoys will return', {
        outlet: 'IRNA',
        publishedAt: hoursAfter(T0, -2),
        primary: 'envoy_return',
        types: ['envoy_return', 'talks'],
        severity: 3,
        dates: [{ date: '2024-01-26', text: 'by January 26', kind: 'scheduled' }],
      }),
    );
    expect(next.firstSeen).toBe(hoursAfter(T0, -2));
    expect(next.lastSeen).toBe(T0);
    // in publish order of the reports that brought them
    expect(next.types).toEqual(['envoy_return', 'talks']);
    expect(next.severity).toBe(3);
    expect(next.primaryType).toBe('envoy_return');
    expect(next.headline).toBe('Pakistan and Iran agree envoys will return');
    expect(next.eventDates.map((d) => d.date)).toEqual(['2024-01-26']);
    expect(next.articles.map((a) => a.publishedAt)).toEqual([hoursAfter(T0, -2), T0]);
  });

  it('keeps at most maxArticleRefs references, including the newest', () => {
    let story = newStory(article('Iran and Pakistan hold talks', { outlet: 'O0' }));
    for (let i = 1; i <= 60; i++) story = addToStory(story, article(`Iran and Pakistan talks report ${i}`, { outlet: `O${i}`, publishedAt: hoursAfter(T0, i / 10) }));
    expect(story.articles).toHaveLength(DEFAULT_STORY_POLICY.maxArticleRefs);
    expect(story.articles.at(-1)?.title).toBe('Iran and Pakistan talks report 60');
  });
});

describe('findStory', () => {
  it('joins the same event reported by two outlets', () => {
    const story = newStory(article('Iran and Pakistan agree to return ambassadors to their posts', { outlet: 'Dawn', primary: 'envoy_return', severity: 3 }));
    const second = article('Pakistan, Iran agree ambassadors will return to posts by January 26', {
      outlet: 'IRNA',
      publishedAt: hoursAfter(T0, 3),
      primary: 'envoy_return',
      severity: 3,
    });
    expect(findStory(second, [story])?.storyId).toBe(story.storyId);
  });

  it('keeps an envoy_recall apart from an envoy_return even when the words overlap', () => {
    const story = newStory(article('Iran and Pakistan ambassadors return to their posts', { primary: 'envoy_return', severity: 3 }));
    const recall = article('Pakistan ambassador to Iran recalled from post', { outlet: 'IRNA', publishedAt: hoursAfter(T0, 5), primary: 'envoy_recall', severity: 4 });
    expect(findStory(recall, [story])).toBeNull();
  });

  it('keeps Iran→Pakistan and Pakistan→Iran strikes apart', () => {
    const story = newStory(article('Iran strikes militant targets inside Pakistan', { primary: 'strike', severity: 5, actors: from('IR') }));
    const reverse = article('Pakistan strikes militant targets inside Iran', { outlet: 'IRNA', publishedAt: hoursAfter(T0, 30), primary: 'strike', severity: 5, actors: from('PK') });
    const sameDirection = article('Iranian missiles strike militant targets in Pakistan', { outlet: 'Geo', publishedAt: hoursAfter(T0, 2), primary: 'strike', severity: 5, actors: from('IR') });
    expect(findStory(reverse, [story])).toBeNull();
    expect(findStory(sameDirection, [story])?.storyId).toBe(story.storyId);
  });

  it('ignores stories outside the 72 h window', () => {
    const story = newStory(article('Iran and Pakistan hold talks in Islamabad', { publishedAt: T0 }));
    const late = article('Iran and Pakistan hold talks in Islamabad', { outlet: 'IRNA', publishedAt: hoursAfter(T0, 73) });
    const inTime = article('Iran and Pakistan hold talks in Islamabad', { outlet: 'IRNA', publishedAt: hoursAfter(T0, 71) });
    expect(findStory(late, [story])).toBeNull();
    expect(findStory(inTime, [story])?.storyId).toBe(story.storyId);
  });

  it('ignores stories of another dyad', () => {
    const story = { ...newStory(article('Afghanistan and Pakistan hold talks')), dyad: 'AF-PK' };
    expect(findStory(article('Afghanistan and Pakistan hold talks', { outlet: 'IRNA' }), [story])).toBeNull();
  });

  it('does not join reports whose words barely overlap', () => {
    const story = newStory(article('Iran and Pakistan hold talks on barter trade and border markets'));
    const other = article('Foreign ministers discuss pilgrims visas consular cooperation', { outlet: 'IRNA' });
    expect(findStory(other, [story])).toBeNull();
  });

  it('returns the story already holding the article', () => {
    const a = article('Iran and Pakistan hold talks');
    const story = newStory(a);
    expect(findStory(a, [story])).toBe(story);
  });

  it('never places an article that is not relevant', () => {
    const story = newStory(article('Iran and Pakistan hold talks'));
    expect(findStory(article('Iran and Pakistan hold talks', { relevant: false, primary: null, types: [], dyad: null }), [story])).toBeNull();
  });

  it('picks the best-scoring of several compatible stories', () => {
    const trade = newStory(article('Iran and Pakistan discuss gas pipeline and barter trade', { primary: 'trade_energy' }));
    const talks = newStory(article('Iran and Pakistan foreign ministers hold talks in Islamabad'));
    const next = article('Foreign ministers of Iran and Pakistan hold talks in Islamabad', { outlet: 'IRNA' });
    expect(findStory(next, [trade, talks])?.storyId).toBe(talks.storyId);
  });
});

describe('nextAlertLevel', () => {
  const talks = (outlet: string, h = 0) => article('Iran and Pakistan interior ministers hold talks', { outlet, publishedAt: hoursAfter(T0, h), primary: 'talks', severity: 2 });

  it('is 0 for an unconfirmed low-severity single-source story', () => {
    const story = newStory(talks('Dawn'));
    expect(isConfirmed(story)).toBe(false);
    expect(nextAlertLevel(null, story)).toBe(0);
  });

  it('is 1 for a new single-source story of severity 3 or more', () => {
    const story = newStory(article('Iran and Pakistan ambassadors return to their posts', { primary: 'envoy_return', severity: 3 }));
    expect(nextAlertLevel(null, story)).toBe(1);
  });

  it('becomes 1 when a second outlet confirms a low-severity story', () => {
    const first = { ...newStory(talks('Dawn')), alertLevel: 0 };
    const sameOutlet = addToStory(first, talks('Dawn', 1));
    expect(nextAlertLevel(first, sameOutlet)).toBe(0);
    const confirmed = addToStory(first, talks('IRNA', 1));
    expect(nextAlertLevel(first, confirmed)).toBe(1);
  });

  it('rises by one when the severity rises', () => {
    const previous = { ...newStory(article('Iran and Pakistan ambassadors return to their posts', { primary: 'envoy_return', severity: 3 })), alertLevel: 1 };
    const next = addToStory(previous, article('Pakistan recalls ambassador from Iran', { outlet: 'IRNA', primary: 'envoy_recall', severity: 4 }));
    expect(nextAlertLevel(previous, next)).toBe(2);
  });

  it.each(['strike', 'envoy_recall', 'border_incident'] as const)('rises by one when a %s type is added at the same severity', (type) => {
    const previous: Story = { ...newStory(article('Iran and Pakistan exchange strikes', { primary: 'strike', types: ['strike'], severity: 5 })), alertLevel: 1, types: ['protest'] };
    const next: Story = { ...previous, types: ['protest', type] };
    expect(nextAlertLevel(previous, next)).toBe(2);
  });

  it('does not rise when a non-escalating type is added at the same severity', () => {
    const previous: Story = { ...newStory(article('Iran and Pakistan hold talks', { severity: 3 })), alertLevel: 1 };
    const next: Story = { ...previous, types: [...previous.types, 'visit', 'agreement'] };
    expect(nextAlertLevel(previous, next)).toBe(1);
  });

  it('stays unchanged when only more sources arrive', () => {
    let previous = newStory(talks('Dawn'));
    previous = { ...addToStory(previous, talks('IRNA', 1)), alertLevel: 1 };
    const next = addToStory(addToStory(previous, talks('Geo', 2)), talks('Tasnim', 3));
    expect(next.sourceCount).toBe(4);
    expect(nextAlertLevel(previous, next)).toBe(1);
  });

  it('stays unchanged when the change is not alertable', () => {
    const unconfirmed = newStory(talks('Dawn'));
    expect(nextAlertLevel(unconfirmed, addToStory(unconfirmed, talks('IRNA', 1)), DEFAULT_STORY_POLICY, false)).toBe(0);
    const alerted: Story = { ...newStory(article('Iran and Pakistan ambassadors return to their posts', { primary: 'envoy_return', severity: 3 })), alertLevel: 1 };
    const escalated = addToStory(alerted, article('Pakistan recalls ambassador from Iran', { outlet: 'IRNA', primary: 'envoy_recall', severity: 4 }));
    expect(nextAlertLevel(alerted, escalated, DEFAULT_STORY_POLICY, false)).toBe(1);
  });

  it('never goes down', () => {
    const previous: Story = { ...newStory(talks('Dawn')), alertLevel: 3 };
    expect(nextAlertLevel(previous, previous)).toBeGreaterThanOrEqual(3);
  });
});

describe('one story per event, whatever the order', () => {
  const named = (country: 'IR' | 'PK', name: string): Actor => ({ country, name });
  // Two events of one day and one that is not the same meeting: the army chief's, not the premier's.
  const reports = () => [
    article('Iranian president holds talks with Pakistani premier', { id: 'p1', outlet: 'Dawn', actors: [named('IR', 'Ebrahim Raisi'), named('PK', 'Shehbaz Sharif')] }),
    article('Raisi and Sharif discuss trade and terrorism', { id: 'p2', outlet: 'IRNA', publishedAt: hoursAfter(T0, 2), actors: [named('IR', 'Ebrahim Raisi'), named('PK', 'Shehbaz Sharif')] }),
    article('Premier meets visiting Iranian leader in Islamabad', { id: 'p3', outlet: 'Geo', publishedAt: hoursAfter(T0, 4), actors: [named('PK', 'Shehbaz Sharif')] }),
    article('Army chief meets Iranian president on border security', { id: 'm1', outlet: 'Dawn', publishedAt: hoursAfter(T0, 3), actors: [named('IR', 'Ebrahim Raisi'), named('PK', 'Asim Munir')] }),
    article('Munir and Raisi discuss border security', { id: 'm2', outlet: 'Tasnim', publishedAt: hoursAfter(T0, 6), actors: [named('IR', 'Ebrahim Raisi'), named('PK', 'Asim Munir')] }),
    article('Iran strikes militant bases inside Pakistan', { id: 's1', outlet: 'Dawn', primary: 'strike', severity: 5, actors: from('IR') }),
    article('Iranian missiles and drones hit Jaish al-Adl camps', { id: 's2', outlet: 'Reuters', publishedAt: hoursAfter(T0, 20), primary: 'strike', severity: 5, actors: from('IR') }),
  ];
  const groups = (stories: Story[]) => stories.map((s) => s.articles.map((a) => a.articleId).sort().join(',')).sort();

  it('gives the same stories in every arrival order', () => {
    const expected = groups(storiesFrom(reports()));
    expect(expected).toEqual(['m1,m2', 'p1,p2,p3', 's1,s2']);
    for (let seed = 1; seed <= 50; seed++) expect(groups(storiesFrom(shuffled(reports(), seed)))).toEqual(expected);
  });

  it('gives the same story fields in every order (headline, type, sources, dates)', () => {
    const pick = (s: Story) => ({ headline: s.headline, primaryType: s.primaryType, types: [...s.types].sort(), severity: s.severity, sourceCount: s.sourceCount, firstSeen: s.firstSeen, lastSeen: s.lastSeen, storyId: s.storyId });
    const expected = storiesFrom(reports()).map(pick).sort((a, b) => a.headline.localeCompare(b.headline));
    for (let seed = 1; seed <= 20; seed++) {
      expect(storiesFrom(shuffled(reports(), seed)).map(pick).sort((a, b) => a.headline.localeCompare(b.headline)).map(({ storyId: _id, ...rest }) => rest)).toEqual(expected.map(({ storyId: _id, ...rest }) => rest));
    }
  });

  it('keeps the same act in the same direction together however it is worded, and apart from the other direction', () => {
    const a = article('Iran strikes militant bases inside Pakistan', { primary: 'strike', severity: 5, actors: from('IR') });
    const b = article('Missiles hit camps in Panjgur overnight', { outlet: 'Geo', publishedAt: hoursAfter(T0, 30), primary: 'strike', severity: 5, actors: from('IR') });
    const reverse = article('Missiles hit camps in Saravan overnight', { outlet: 'Geo', publishedAt: hoursAfter(T0, 30), primary: 'strike', severity: 5, actors: from('PK') });
    const report = (x: Article) => ({ event: signatureOf(x), publishedAt: x.publishedAt });
    expect(sameEvent(report(a), report(b))).toBe(true);
    expect(sameEvent(report(a), report(reverse))).toBe(false);
  });

  it('joins a visit and the talks held during it when they name the same visitor, and not otherwise', () => {
    const visit = article('Iranian president arrives in Islamabad', { primary: 'visit', types: ['visit'], actors: [named('IR', 'Masoud Pezeshkian')] });
    const talks = article('Pezeshkian meets the Senate chairman', { outlet: 'Geo', publishedAt: hoursAfter(T0, 20), primary: 'talks', types: ['talks'], actors: [named('IR', 'Masoud Pezeshkian'), named('PK', 'Yousaf Raza Gilani')] });
    const otherTalks = article('Interior ministers discuss border trade', { outlet: 'Geo', publishedAt: hoursAfter(T0, 20), primary: 'talks', types: ['talks'], actors: [named('PK', 'Mohsin Naqvi')] });
    const report = (x: Article) => ({ event: signatureOf(x), publishedAt: x.publishedAt });
    expect(sameEvent(report(visit), report(talks))).toBe(true);
    expect(sameEvent(report(visit), report(otherTalks))).toBe(false);
  });

  it('keeps two calls between the same ministers apart when they name different days', () => {
    const ministers = [named('IR', 'Hossein Amirabdollahian'), named('PK', 'Jalil Abbas Jilani')];
    const day = (date: string) => [{ date, text: 'on that day', kind: 'reported' as const }];
    const first = article('Foreign ministers speak by phone', { actors: ministers, dates: day('2024-01-17') });
    const later = article('Foreign ministers speak by phone again', { outlet: 'IRNA', publishedAt: hoursAfter(T0, 40), actors: ministers, dates: day('2024-01-19') });
    const sameCall = article('Ministers discuss the border in a call', { outlet: 'Geo', publishedAt: hoursAfter(T0, 20), actors: ministers, dates: day('2024-01-18') });
    const report = (x: Article) => ({ event: signatureOf(x), publishedAt: x.publishedAt });
    expect(sameEvent(report(first), report(later))).toBe(false);
    // A day apart is within the slack ("yesterday", time zones).
    expect(sameEvent(report(first), report(sameCall))).toBe(true);
  });

  it('joins an announcement to the report that the event began on the day it was set for, though it was announced days before', () => {
    const announced = article('Three-nation summit set for the 16th in Islamabad', {
      publishedAt: '2024-02-08T10:00:00.000Z',
      dates: [
        { date: '2024-02-16', text: 'on the 16th', kind: 'scheduled' },
        { date: '2024-02-08', text: 'on Thursday', kind: 'reported' },
      ],
    });
    const began = article('Leaders open the three-nation summit in Islamabad', { outlet: 'Geo', publishedAt: '2024-02-16T12:00:00.000Z', dates: [{ date: '2024-02-16', text: 'on Friday', kind: 'reported' }] });
    const otherMeeting = article('Leaders open a three-nation summit in Islamabad', { outlet: 'Geo', publishedAt: '2024-02-20T12:00:00.000Z', dates: [{ date: '2024-02-20', text: 'on Tuesday', kind: 'reported' }] });
    const report = (x: Article) => ({ event: signatureOf(x), publishedAt: x.publishedAt });
    expect(sameEvent(report(announced), report(began))).toBe(true);
    expect(sameEvent(report(announced), report(otherMeeting))).toBe(false);
  });

  it('merges two stories a later report bridges, keeping every source and the older story’s id', () => {
    const first = newStory(article('Iran and Pakistan foreign ministers speak by phone', { id: 'c1', outlet: 'Dawn', actors: [named('IR', 'Hossein Amirabdollahian')] }));
    const second = newStory(article('Jilani receives call from Tehran', { id: 'c2', outlet: 'Geo', publishedAt: hoursAfter(T0, 1), actors: [named('PK', 'Jalil Abbas Jilani')] }));
    expect(findStory(article('unrelated words entirely', { id: 'x', actors: [named('PK', 'Jalil Abbas Jilani')] }), [first])).toBeNull();
    const bridge = article('Amirabdollahian and Jilani agree to cooperate', { id: 'c3', outlet: 'IRNA', publishedAt: hoursAfter(T0, 2), actors: [named('IR', 'Hossein Amirabdollahian'), named('PK', 'Jalil Abbas Jilani')] });
    const { story, found, absorbed } = placeArticle(bridge, [second, first]);
    expect(found?.storyId).toBe(first.storyId);
    expect(absorbed.map((s) => s.storyId)).toEqual([second.storyId]);
    expect(story.storyId).toBe(first.storyId);
    expect(story.mergedFrom).toEqual([second.storyId]);
    expect(story.articles.map((a) => a.articleId)).toEqual(['c1', 'c2', 'c3']);
    expect(story.sourceCount).toBe(3);
    // Merging is the same whichever side it starts from.
    expect(groups([mergeStories([second, first])])).toEqual(groups([mergeStories([first, second])]));
  });
});
