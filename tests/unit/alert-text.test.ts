import { describe, it, expect } from 'vitest';
import { buildAlert, buildSms, SUBJECT_MAX } from '#shared/domain/alert-text.ts';
import { fitsOneSegment } from '#shared/domain/gsm7.ts';
import type { Actor, ArticleRef, Story } from '#shared/domain/types.ts';

type SidedActor = Actor & { side?: 'source' | 'target' };

function ref(overrides: Partial<ArticleRef> = {}): ArticleRef {
  return { articleId: 'a1', url: 'https://www.dawn.example/news/1', title: 'Iran strikes inside Pakistan', outlet: 'Dawn', publishedAt: '2024-01-16T20:00:00.000Z', ...overrides };
}

function story(overrides: Partial<Story> = {}): Story {
  const actors: SidedActor[] = [
    { country: 'IR', side: 'source' },
    { country: 'PK', side: 'target' },
  ];
  return {
    storyId: 'story-1',
    dyad: 'IR-PK',
    primaryType: 'strike',
    types: ['strike', 'protest'],
    severity: 5,
    confidence: 0.9,
    actors,
    eventDates: [],
    headline: 'Iran launches missile strikes inside Pakistan',
    evidence: 'Iran launches missile strikes inside Pakistan',
    firstSeen: '2024-01-16T20:00:00.000Z',
    lastSeen: '2024-01-16T22:00:00.000Z',
    sourceCount: 1,
    articles: [ref()],
    tokens: [],
    alertLevel: 1,
    version: 1,
    ...overrides,
  };
}

const LONG_HEADLINE = `${'Iran and Pakistan agree that their ambassadors will return to their posts '.repeat(5)}`.slice(0, 300);

describe('buildAlert: subject', () => {
  it('stays within 100 characters even with a 300-character headline', () => {
    expect(LONG_HEADLINE).toHaveLength(300);
    const { subject } = buildAlert(story({ headline: LONG_HEADLINE }), 1);
    expect(SUBJECT_MAX).toBe(100);
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject.endsWith('…')).toBe(true);
  });

  it('names the dyad, type and severity before the headline', () => {
    expect(buildAlert(story(), 1).subject).toBe('[IR-PK] Strike, sev 5: Iran launches missile strikes inside Pakistan');
  });
});

describe('buildAlert: SMS', () => {
  it('fits one GSM-7 segment with a long headline', () => {
    const { sms } = buildAlert(story({ headline: LONG_HEADLINE }), 1);
    expect(fitsOneSegment(sms)).toBe(true);
    expect(sms.startsWith('IR-PK Strike (sev 5): Iran and Pakistan')).toBe(true);
  });

  it('fits one GSM-7 segment with curly quotes, dashes and emoji in the headline', () => {
    const { sms } = buildAlert(story({ headline: `“Iran’s envoys” — back at posts… 🚨 ${LONG_HEADLINE}` }), 1);
    expect(fitsOneSegment(sms)).toBe(true);
    expect(sms).toContain('"Iran\'s envoys" - back at posts...');
  });

  it('fits one GSM-7 segment with many extended characters', () => {
    expect(fitsOneSegment(buildAlert(story({ headline: '€[]{}'.repeat(60) }), 1).sms)).toBe(true);
  });

  it('drops a link too long to fit and still fits one segment', () => {
    const longUrl = `https://www.dawn.example/news/${'segment/'.repeat(20)}story`;
    const { sms } = buildAlert(story({ headline: LONG_HEADLINE, articles: [ref({ url: longUrl })] }), 1);
    expect(fitsOneSegment(sms)).toBe(true);
    expect(sms).not.toContain('https://');
  });

  it('keeps a short link at the end', () => {
    const { sms } = buildAlert(story({ headline: LONG_HEADLINE, articles: [ref({ url: 'https://dawn.example/n/1' })] }), 1);
    expect(fitsOneSegment(sms)).toBe(true);
    expect(sms.endsWith(' https://dawn.example/n/1')).toBe(true);
  });

  it('shortens the headline with "..." rather than a non-GSM ellipsis', () => {
    const sms = buildSms(story({ headline: LONG_HEADLINE }), false, null);
    expect(sms.endsWith('...')).toBe(true);
    expect(fitsOneSegment(sms)).toBe(true);
  });

  it('leaves out a link that is not GSM-7', () => {
    const sms = buildSms(story(), false, 'https://example.com/ایران');
    expect(sms).not.toContain('https://');
  });
});

describe('buildAlert: unsafe content', () => {
  const hostile = story({
    headline: '<b>Iran</b> strikes <img src=x onerror=alert(1)> inside Pakistan<script>alert(2)</script>',
    evidence: '<iframe src="https://evil.example/"></iframe> Officials <i>confirmed</i> the strike',
    eventDates: [{ date: '2024-01-16', text: '<b>on Tuesday</b>', kind: 'reported' }],
    sourceCount: 2,
    articles: [
      ref({ articleId: 'a1', url: 'javascript:alert(document.cookie)', title: '<a onclick=x>Dawn story</a>', outlet: '<b>Dawn</b>' }),
      ref({ articleId: 'a2', url: 'data:text/html,<script>alert(1)</script>', title: 'Geo story', outlet: 'Geo' }),
      ref({ articleId: 'a3', url: 'http://169.254.169.254/latest/meta-data', title: 'Metadata', outlet: 'Internal' }),
    ],
  });

  it.each([false, true])('puts no "<", ">" or "javascript:" in subject, email or SMS (update=%s)', (update) => {
    const alert = buildAlert(hostile, update ? 2 : 1);
    for (const text of [alert.subject, alert.email, alert.sms]) {
      expect(text).not.toMatch(/[<>]/);
      expect(text.toLowerCase()).not.toContain('javascript:');
      expect(text.toLowerCase()).not.toContain('data:text');
      expect(text).not.toContain('169.254.169.254');
    }
  });

  it('says so when no article has a safe link', () => {
    expect(buildAlert(hostile, 1).email).toContain('- (no safe link given by the feeds)');
  });

  it('keeps subject and SMS on one line', () => {
    const alert = buildAlert(story({ headline: 'Iran\nand\r\nPakistan\ttalks\u0007' }), 1);
    expect(alert.subject).not.toMatch(/[\r\n\t\u0007]/);
    expect(alert.sms).not.toMatch(/[\r\n\t\u0007]/);
  });
});

describe('buildAlert: update flag', () => {
  it('marks an alert above level 1 as an UPDATE', () => {
    const alert = buildAlert(story(), 2);
    expect(alert.subject.startsWith('UPDATE [IR-PK]')).toBe(true);
    expect(alert.sms.startsWith('UPDATE IR-PK')).toBe(true);
    expect(alert.email.startsWith('UPDATE: this story has escalated (alert level 2).')).toBe(true);
    expect(alert.level).toBe(2);
  });

  it('does not mark a first alert as an UPDATE', () => {
    const alert = buildAlert(story(), 1);
    for (const text of [alert.subject, alert.email, alert.sms]) expect(text).not.toContain('UPDATE');
    expect(alert.email.startsWith('New Iran-Pakistan event.')).toBe(true);
  });

  it('lets the caller force the flag either way', () => {
    expect(buildAlert(story(), 1, { update: true }).subject.startsWith('UPDATE ')).toBe(true);
    expect(buildAlert(story(), 3, { update: false }).subject.startsWith('UPDATE ')).toBe(false);
  });
});

describe('buildAlert: email body', () => {
  const twoSources = story({
    sourceCount: 2,
    articles: [
      ref({ articleId: 'a1', url: 'https://www.dawn.example/news/1?utm_source=rss', title: 'Iran strikes inside Pakistan', outlet: 'Dawn' }),
      ref({ articleId: 'a2', url: 'https://www.irna.example/en/2', title: 'Iranian forces hit militant bases', outlet: 'IRNA' }),
    ],
    eventDates: [{ date: '2024-01-16', text: 'on Tuesday', kind: 'reported' }],
  });

  it('names the number of independent outlets, the outlets and a link to each article', () => {
    const { email } = buildAlert(twoSources, 1);
    expect(email).toContain('Sources (2 independent outlets: Dawn, IRNA):');
    expect(email).toContain('- Dawn: Iran strikes inside Pakistan\n  https://www.dawn.example/news/1');
    expect(email).toContain('- IRNA: Iranian forces hit militant bases\n  https://www.irna.example/en/2');
  });

  it('uses the singular for one outlet', () => {
    expect(buildAlert(story(), 1).email).toContain('Sources (1 independent outlet: Dawn):');
  });

  it('gives the direction of a directed event', () => {
    expect(buildAlert(story(), 1).email).toContain('Who: Iran toward Pakistan');
  });

  it('names both countries and the named officials when there is no direction', () => {
    const { email } = buildAlert(
      story({
        primaryType: 'talks',
        types: ['talks'],
        severity: 2,
        actors: [
          { country: 'IR', name: 'Hossein Amirabdollahian', role: 'foreign minister' },
          { country: 'PK', name: 'Jalil Abbas Jilani', role: 'caretaker foreign minister' },
        ],
      }),
      1,
    );
    expect(email).toContain(
      'Who: Iran and Pakistan; named: Hossein Amirabdollahian (Iran, foreign minister); Jalil Abbas Jilani (Pakistan, caretaker foreign minister)',
    );
  });

  it('lists event dates with their kind and the words they came from', () => {
    expect(buildAlert(twoSources, 1).email).toContain('When: 2024-01-16 (reported: "on Tuesday")');
  });

  it('falls back to the first-seen day when there are no event dates', () => {
    expect(buildAlert(story(), 1).email).toContain('When: first reported 2024-01-16');
  });

  it('states types, severity and evidence', () => {
    const { email } = buildAlert(story(), 1);
    expect(email).toContain('Types: strike, protest (primary: strike)');
    expect(email).toContain('severity 5 of 5');
    expect(email).toContain('Evidence: "Iran launches missile strikes inside Pakistan"');
  });

  it('carries the message attributes used for subscription filters', () => {
    expect(buildAlert(story(), 1)).toMatchObject({ storyId: 'story-1', attributes: { eventType: 'strike', severity: 5, dyad: 'IR-PK' } });
  });
});

describe('alert text against twice-escaped markup', () => {
  it('carries no javascript: even when a headline hides it under two layers of entities', async () => {
    const { toPlainText } = await import('#shared/domain/text.ts');
    const headline = toPlainText('&amp;lt;a href=&quot;javascript:alert(1)&quot;&amp;gt;Envoys&amp;lt;/a&amp;gt;', 300);
    expect(headline).not.toMatch(/javascript:|</i);
    expect(headline).toContain('Envoys');
  });
});
