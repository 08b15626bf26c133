import * as chrono from 'chrono-node/en';
import type { EventDate } from './types.ts';

const LEAD_IN = /\b(by|on|from|until|till|before|after|since|starting|next|this|last)\s+$/i;

/**
 * Dates named in a text, resolved against its publish time: "by January 26" in a piece published
 * on 2024-01-22 is 2024-01-26 (scheduled); "on Monday" is the Monday of that week (reported).
 * Only expressions that fix a day count; "last week" or "3pm" are too vague to put in an alert.
 */
export function resolveDates(text: string, publishedIso: string, max = 5): EventDate[] {
  const ref = new Date(publishedIso);
  if (Number.isNaN(ref.getTime())) return [];
  const publishedDay = publishedIso.slice(0, 10);
  const out: EventDate[] = [];
  for (const result of chrono.casual.parse(text, ref)) {
    if (!result.start.isCertain('day') && !result.start.isCertain('weekday')) continue;
    if (/\b(?:week|month|year|weekend)s?\b/i.test(result.text) && !/\d/.test(result.text)) continue;
    const year = result.start.get('year');
    const month = result.start.get('month');
    const dayOfMonth = result.start.get('day');
    if (!year || !month || !dayOfMonth) continue;
    const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;
    const lead = LEAD_IN.exec(text.slice(Math.max(0, result.index - 12), result.index));
    const phrase = lead && !/^(by|on|from|until|till|before|after|since|starting)\s/i.test(result.text) ? `${lead[1]} ${result.text}` : result.text;
    if (out.some((d) => d.date === date)) continue;
    out.push({ date, text: phrase, kind: date > publishedDay ? 'scheduled' : 'reported' });
    if (out.length >= max) break;
  }
  return out;
}
