import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, type EventType, type Story } from '#shared/domain/types.ts';
import { TYPE_COLOUR, eventDate, markRadius, prepareReport, whoDidWhat, type ReportOptions } from '#shared/domain/report-data.ts';
import { CONTENT_SECURITY_POLICY, escapeHtml, renderReportHtml } from '#shared/report/render-html.ts';

const NAMES = { IR: 'Iran', PK: 'Pakistan' };
const OPTIONS: ReportOptions = { dyad: 'IR-PK', since: '2024-01-01T00:00:00.000Z', until: '2024-12-31T23:59:59.999Z', generatedAt: '2024-12-31T12:00:00.000Z', countryNames: NAMES };

/** Actors as the classifier stores them, with the side each took (not in the Actor type). */
const actors = (list: object[]) => list as Story['actors'];

let n = 0;
function story(type: EventType, firstSeen: string, overrides: Partial<Story> = {}): Story {
  n++;
  return {
    storyId: `s${String(n).padStart(3, '0')}`,
    dyad: 'IR-PK',
    primaryType: type,
    types: [type],
    severity: 3,
    confidence: 0.9,
    actors: [],
    eventDates: [],
    headline: `${type} headline ${n}`,
    evidence: '',
    firstSeen,
    lastSeen: firstSeen,
    sourceCount: 1,
    articles: [{ articleId: `a${n}`, url: `https://news.example.org/${n}`, title: `title ${n}`, outlet: 'Example News', publishedAt: firstSeen }],
    tokens: [],
    alertLevel: 1,
    version: 1,
    classifierVersion: 'rules-2',
    ...overrides,
  };
}

describe('eventDate', () => {
  it('uses the earliest date the reports give for the event', () => {
    const s = story('strike', '2024-01-18T06:00:00.000Z', { eventDates: [{ date: '2024-01-17', text: 'on Wednesday', kind: 'reported' }, { date: '2024-01-16', text: 'late on Tuesday', kind: 'reported' }] });
    expect(eventDate(s)).toEqual({ date: '2024-01-16', basis: 'reported' });
  });

  it('uses the scheduled date of an announced event reported held, and the first report for one only announced', () => {
    const dates = [{ date: '2024-01-29', text: 'on January 29', kind: 'scheduled' as const }];
    expect(eventDate(story('visit', '2024-01-22T10:00:00.000Z', { eventDates: dates, status: 'held', lastSeen: '2024-01-29T15:00:00.000Z' }))).toEqual({ date: '2024-01-29', basis: 'held' });
    expect(eventDate(story('visit', '2024-01-22T10:00:00.000Z', { eventDates: dates, status: 'scheduled' }))).toEqual({ date: '2024-01-22', basis: 'first-seen' });
  });

  it('ignores dates that are malformed, after the first report, or more than a month before it (background)', () => {
    const s = story('protest', '2024-03-05T10:00:00.000Z', {
      eventDates: [
        { date: '2023-11-01', text: 'in November', kind: 'reported' },
        { date: '2024-03-09', text: 'on Saturday' },
        { date: 'soon', text: 'soon', kind: 'reported' },
      ],
    });
    expect(eventDate(s)).toEqual({ date: '2024-03-05', basis: 'first-seen' });
  });
});

describe('prepareReport', () => {
  it('orders marks by event date, not by first report', () => {
    const late = story('talks', '2024-02-10T09:00:00.000Z');
    const earlierEvent = story('strike', '2024-02-12T09:00:00.000Z', { eventDates: [{ date: '2024-02-08', text: 'on Thursday', kind: 'reported' }] });
    const data = prepareReport([late, earlierEvent], OPTIONS);
    expect(data.marks.map((m) => [m.storyId, m.date])).toEqual([
      [earlierEvent.storyId, '2024-02-08'],
      [late.storyId, '2024-02-10'],
    ]);
    expect(data.span).toEqual({ start: '2024-02-08', end: '2024-02-10' });
  });

  it('colours each mark by its main type, sizes it by severity and places hostile acts apart', () => {
    const data = prepareReport([story('strike', '2024-01-16T20:00:00.000Z', { severity: 5, types: ['strike', 'protest'] }), story('talks', '2024-01-20T20:00:00.000Z', { severity: 2 })], OPTIONS);
    expect(data.marks.map((m) => ({ type: m.type, colour: m.colour, radius: m.radius, tension: m.tension }))).toEqual([
      { type: 'strike', colour: TYPE_COLOUR.strike, radius: markRadius(5), tension: true },
      { type: 'talks', colour: TYPE_COLOUR.talks, radius: markRadius(2), tension: false },
    ]);
    expect(markRadius(5)).toBeGreaterThan(markRadius(1));
    expect(markRadius(9)).toBe(markRadius(5));
    expect(markRadius(Number.NaN)).toBe(markRadius(1));
  });

  it('has a distinct colour for each of the eleven types', () => {
    expect(new Set(EVENT_TYPES.map((t) => TYPE_COLOUR[t].toLowerCase())).size).toBe(11);
  });

  it('draws the ambassadors recalled from the recall’s date until the return’s', () => {
    const recall = story('envoy_recall', '2024-01-17T20:00:00.000Z', { severity: 4 });
    const strike = story('strike', '2024-01-18T04:00:00.000Z', { severity: 5 });
    const back = story('envoy_return', '2024-01-22T10:00:00.000Z', { eventDates: [{ date: '2024-01-26', text: 'by January 26', kind: 'scheduled' }], status: 'held', lastSeen: '2024-01-26T12:00:00.000Z' });
    const data = prepareReport([back, strike, recall], OPTIONS);
    expect(data.bands).toEqual([{ state: 'recalled', from: '2024-01-17', to: '2024-01-26', days: 9, fromStoryId: recall.storyId, toStoryId: back.storyId }]);
  });

  it('leaves the band open while the return is only announced, or when none is reported', () => {
    const recall = story('envoy_recall', '2024-01-17T20:00:00.000Z');
    const announced = story('envoy_return', '2024-01-22T10:00:00.000Z', { eventDates: [{ date: '2024-01-26', text: 'by January 26', kind: 'scheduled' }], status: 'scheduled' });
    expect(prepareReport([recall, announced], OPTIONS).bands).toEqual([{ state: 'recalled', from: '2024-01-17', to: null, days: null, fromStoryId: recall.storyId, toStoryId: null }]);
    expect(prepareReport([recall], OPTIONS).bands.map((b) => b.to)).toEqual([null]);
  });

  it('keeps one band through a second recall, and draws none for a return with no recall on record', () => {
    const first = story('envoy_recall', '2024-01-17T20:00:00.000Z');
    const second = story('envoy_recall', '2024-01-19T20:00:00.000Z');
    const back = story('envoy_return', '2024-01-25T10:00:00.000Z');
    expect(prepareReport([first, second, back], OPTIONS).bands.map((b) => [b.from, b.to])).toEqual([['2024-01-17', '2024-01-25']]);
    expect(prepareReport([story('envoy_return', '2024-02-01T10:00:00.000Z')], OPTIONS).bands).toEqual([]);
  });

  it('counts every type (zeros included) and every month from the first to the last (zeros included)', () => {
    const data = prepareReport(
      [story('strike', '2024-01-16T20:00:00.000Z'), story('strike', '2024-01-18T04:00:00.000Z'), story('talks', '2024-01-29T10:00:00.000Z'), story('visit', '2024-03-02T10:00:00.000Z')],
      OPTIONS,
    );
    expect(data.typeCounts.map((t) => t.type)).toEqual([...EVENT_TYPES]);
    expect(Object.fromEntries(data.typeCounts.filter((t) => t.count).map((t) => [t.type, t.count]))).toEqual({ strike: 2, talks: 1, visit: 1 });
    expect(data.monthCounts).toEqual([
      { month: '2024-01', total: 3, byType: { strike: 2, talks: 1 } },
      { month: '2024-02', total: 0, byType: {} },
      { month: '2024-03', total: 1, byType: { visit: 1 } },
    ]);
  });

  it('names the classifier versions found and counts the stories without one', () => {
    const { classifierVersion: _, ...older } = story('talks', '2024-01-02T10:00:00.000Z');
    const data = prepareReport([story('talks', '2024-01-01T10:00:00.000Z'), older, story('visit', '2024-01-03T10:00:00.000Z', { classifierVersion: 'rules-1' })], OPTIONS);
    expect(data.classifierVersions).toEqual({ versions: ['rules-1', 'rules-2'], unrecorded: 1 });
  });

  it('says who did what to whom: a direction when the act has one, the two states otherwise, and named people', () => {
    const directed = story('strike', '2024-01-18T04:00:00.000Z', { actors: actors([{ country: 'PK', side: 'source' }, { country: 'IR', name: 'Ahmad Vahidi', role: 'interior minister', side: 'target' }]) });
    expect(whoDidWhat(directed, NAMES)).toEqual({ who: 'Pakistan → Iran', named: ['Ahmad Vahidi (Iran, interior minister)'] });
    expect(whoDidWhat(story('talks', '2024-01-18T04:00:00.000Z'), NAMES).who).toBe('Iran and Pakistan');
    expect(whoDidWhat(story('talks', '2024-01-18T04:00:00.000Z')).who).toBe('IR and PK');
  });

  it('links only public http(s) sources, and names an outlet that has no name by its host', () => {
    const s = story('protest', '2024-01-17T10:00:00.000Z', {
      articles: [
        { articleId: 'x1', url: 'javascript:alert(1)', title: 't1', outlet: 'Bad Link', publishedAt: '2024-01-17T10:00:00.000Z' },
        { articleId: 'x2', url: 'https://wire.example.com/story?id=2', title: 't2', outlet: '  ', publishedAt: '2024-01-17T11:00:00.000Z' },
        { articleId: 'x3', url: 'http://127.0.0.1/admin', title: 't3', outlet: 'Loopback', publishedAt: '2024-01-17T12:00:00.000Z' },
        { articleId: 'x4', url: null, title: 't4', outlet: 'No Link', publishedAt: '2024-01-17T13:00:00.000Z' },
      ],
    });
    expect(prepareReport([s], OPTIONS).marks[0]?.sources.map((x) => [x.outlet, x.url])).toEqual([
      ['Bad Link', null],
      ['wire.example.com', 'https://wire.example.com/story?id=2'],
      ['Loopback', null],
      ['No Link', null],
    ]);
  });

  it('prepares an empty range without marks, bands or months', () => {
    const data = prepareReport([], OPTIONS);
    expect(data).toMatchObject({ marks: [], bands: [], monthCounts: [], span: null, title: 'Iran – Pakistan', classifierVersions: { versions: [], unrecorded: 0 } });
    expect(data.typeCounts.every((t) => t.count === 0)).toBe(true);
  });
});

describe('renderReportHtml', () => {
  const HOSTILE = `</script><script>alert(1)</script><img src=x onerror=alert(2)> "quoted" 'single' & more`;
  const hostile = story('protest', '2024-01-17T10:00:00.000Z', {
    storyId: `id"><svg onload=alert(3)>`,
    headline: HOSTILE,
    actors: actors([{ country: 'IR', name: `<b onmouseover=alert(4)>Mr X</b>`, side: 'source' }, { country: 'PK', side: 'target' }]),
    stateNote: '<iframe src=//evil.example>',
    articles: [
      { articleId: 'h1', url: 'javascript:alert(5)', title: `"><img src=x onerror=alert(6)>`, outlet: `<script>alert(7)</script>`, publishedAt: '2024-01-17T10:00:00.000Z' },
      { articleId: 'h2', url: 'https://news.example.org/a?b=1&c="2"', title: 'fine', outlet: `Outlet "Quoted"`, publishedAt: '2024-01-17T11:00:00.000Z' },
    ],
  });
  const html = renderReportHtml(prepareReport([hostile, story('strike', '2024-01-18T04:00:00.000Z')], OPTIONS));

  it('escapes text and attributes so no markup from a feed survives as markup', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/<img|<svg onload|<iframe|<b onmouseover/);
    expect(html).not.toContain('javascript:');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &quot;quoted&quot; &#39;single&#39; &amp; more');
    expect(html).toContain('id="s-id&quot;&gt;&lt;svg onload=alert(3)&gt;"');
    expect(html).toContain('href="https://news.example.org/a?b=1&amp;c=%222%22"');
  });

  it('forbids every request and runs only its own script, by hash', () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">`);
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'none'/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe-inline/);
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(CONTENT_SECURITY_POLICY).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    expect(html).not.toMatch(/(?:src|href)="(?!#|https:\/\/news\.example\.org|data:)/);
  });

  it('has one mark and one row per story, tagged with the main type, and the band and counts', () => {
    const band = renderReportHtml(prepareReport([story('envoy_recall', '2024-01-17T20:00:00.000Z'), story('envoy_return', '2024-01-26T10:00:00.000Z')], OPTIONS));
    expect(band.match(/<a class="mark/g)).toHaveLength(2);
    expect(band.match(/<tr id="s-/g)).toHaveLength(2);
    expect(band).toContain('data-type="envoy_recall"');
    expect(band.match(/<g class="band"/g)).toHaveLength(1);
    expect(band).toContain('Ambassadors recalled · 9 days');
    expect(band).toContain('<tr data-count-month="2024-01"><td>2024-01</td><td class="num">2</td>');
    expect(band).toContain('classifier rules-2');
  });

  it('labels the band still open first and leaves out a label that would run into another', () => {
    const year = renderReportHtml(
      prepareReport(
        [story('envoy_recall', '2024-03-01T10:00:00.000Z'), story('envoy_return', '2024-03-05T10:00:00.000Z'), story('envoy_recall', '2024-03-10T10:00:00.000Z'), story('talks', '2024-12-31T10:00:00.000Z')],
        OPTIONS,
      ),
    );
    expect(year.match(/<g class="band"/g)).toHaveLength(2);
    expect(year).toContain('>Ambassadors recalled since 2024-03-10 →</text>');
    expect(year).not.toContain('· 4 days</text>');
    expect(year).toContain('<title>Ambassadors recalled from 2024-03-01 to 2024-03-05</title>');
  });

  it('says "no events" for an empty range and is still a whole page', () => {
    const empty = renderReportHtml(prepareReport([], OPTIONS));
    expect(empty).toContain('No events between 2024-01-01 and 2024-12-31.');
    expect(empty).not.toContain('<svg');
    expect(empty).toMatch(/^<!doctype html>[\s\S]*<\/html>\n$/);
    expect(empty).toContain('classifier none (no stories)');
  });
});
