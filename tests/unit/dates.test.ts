import { describe, it, expect } from 'vitest';
import { resolveDates } from '#shared/domain/dates.ts';

const PUBLISHED = '2024-01-22T09:00:00Z'; // a Monday

describe('resolveDates', () => {
  it('resolves "by January 26" to 2024-01-26, scheduled, keeping the lead-in word', () => {
    expect(resolveDates('Envoys are expected back at their posts by January 26.', PUBLISHED)).toEqual([
      { date: '2024-01-26', text: 'by January 26', kind: 'scheduled' },
    ]);
  });

  it('resolves "on January 29" to 2024-01-29, scheduled', () => {
    expect(resolveDates('The foreign minister is due in Islamabad on January 29.', PUBLISHED)).toEqual([
      { date: '2024-01-29', text: 'on January 29', kind: 'scheduled' },
    ]);
  });

  it('resolves "on Monday" to the publish day, reported', () => {
    expect(resolveDates('The statement was released on Monday.', PUBLISHED)).toEqual([{ date: '2024-01-22', text: 'on Monday', kind: 'reported' }]);
  });

  it('leaves out a day named only as the day the news came out ("media reported on Saturday")', () => {
    // The visit itself has no day yet: the Saturday is when the press carried the plan, and a
    // later report that the visit happened on Wednesday must not read as another visit.
    expect(resolveDates('The prime minister will travel to Tehran soon, state media reported on Saturday.', PUBLISHED)).toEqual([]);
    expect(resolveDates('Officials said on Saturday that the prime minister will travel to Tehran.', PUBLISHED)).toEqual([{ date: '2024-01-20', text: 'on Saturday', kind: 'reported' }]);
    expect(resolveDates('Sources said on Thursday the talks would open on January 29.', PUBLISHED)).toEqual([{ date: '2024-01-29', text: 'on January 29', kind: 'scheduled' }]);
  });

  it('marks days before the publish date as reported', () => {
    expect(resolveDates('The two ministers spoke on January 19.', PUBLISHED)).toEqual([{ date: '2024-01-19', text: 'on January 19', kind: 'reported' }]);
  });

  it('ignores vague expressions such as "last week" and clock times', () => {
    expect(resolveDates('The strikes happened last week; officials met at 3pm.', PUBLISHED)).toEqual([]);
    expect(resolveDates('Relations may improve next month.', PUBLISHED)).toEqual([]);
  });

  it('keeps several dates in text order and each date once', () => {
    const out = resolveDates('Envoys return by January 26 and the minister visits on January 29; envoys back by Jan 26.', PUBLISHED);
    expect(out.map((d) => d.date)).toEqual(['2024-01-26', '2024-01-29']);
  });

  it('resolves a date across the new year to the nearest occurrence', () => {
    expect(resolveDates('The visit is set for January 3.', '2024-12-30T09:00:00Z')[0]).toMatchObject({ date: '2025-01-03', kind: 'scheduled' });
  });

  it('returns nothing for an invalid publish time', () => {
    expect(resolveDates('on January 29', 'not-a-date')).toEqual([]);
  });

  it('stops at max dates', () => {
    const text = 'on January 23, on January 24, on January 25, on January 26, on January 27, on January 28';
    expect(resolveDates(text, PUBLISHED, 3)).toHaveLength(3);
  });
});

describe('resolveDates: words that name no day', () => {
  it('does not turn "later in the day" into tomorrow', () => {
    const out = resolveDates('The envoys returned to their posts later in the day on Friday.', '2024-01-26T09:00:00Z');
    expect(out).toEqual([{ date: '2024-01-26', text: 'on Friday', kind: 'reported' }]);
  });
});
