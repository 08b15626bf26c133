import * as chrono from 'chrono-node/en';
import type { EventDate } from './types.ts';

const MAY_NAME_A_DAY = /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:today|tomorrow|yesterday|tonight)\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/i;
const FUTURE = /\b(?:will|shall|to be|is to|are to|due|scheduled|expected|next|coming|planned|plans?|set to|would)\b/i;

function sentenceAround(text: string, index: number): string {
  const start = Math.max(text.lastIndexOf('. ', index), 0);
  const end = text.indexOf('. ', index);
  return text.slice(start, end < 0 ? text.length : end);
}

/** "state media reported on Wednesday", "sources said on Thursday": the day the news came out, not the day of the event. */
const REPORTED_BY = /\b(?:media|reports?|sources|agency|agencies|television|tv|radio|newspapers?|outlets?|channels?)\s+(?:reported|said|quoted|cited|announced)\s+(?:on\s+)?$/i;

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
  // chrono is the slowest step of classification: skip texts that name no day at all.
  if (!MAY_NAME_A_DAY.test(text)) return out;
  for (const result of chrono.casual.parse(text, ref)) {
    if (!result.start.isCertain('day') && !result.start.isCertain('weekday')) continue;
    if (/\b(?:week|month|year|weekend)s?\b/i.test(result.text) && !/\d/.test(result.text)) continue;
    // "earlier in the day", "later in the day": chrono reads "in the day" as tomorrow; the words name no day.
    if (!MAY_NAME_A_DAY.test(result.text) && !/\d/.test(result.text)) continue;
    // "two days after" counts from another event, not from the publish date.
    if (/\b(?:after|before|later|earlier)\s*$/i.test(result.text)) continue;
    if (REPORTED_BY.test(text.slice(Math.max(0, result.index - 40), result.index))) continue;
    const year = result.start.get('year');
    const month = result.start.get('month');
    const dayOfMonth = result.start.get('day');
    if (!year || !month || !dayOfMonth) continue;
    let date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;
    // A bare weekday in news is the past one ("launched on Thursday") unless the sentence
    // looks ahead ("will visit on Thursday", "next Thursday").
    if (!result.start.isCertain('day') && date > publishedDay && !FUTURE.test(sentenceAround(text, result.index))) {
      date = new Date(Date.parse(`${date}T00:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10);
    }
    const lead = LEAD_IN.exec(text.slice(Math.max(0, result.index - 12), result.index));
    const phrase = lead && !/^(by|on|from|until|till|before|after|since|starting)\s/i.test(result.text) ? `${lead[1]} ${result.text}` : result.text;
    if (out.some((d) => d.date === date)) continue;
    out.push({ date, text: phrase, kind: date > publishedDay ? 'scheduled' : 'reported' });
    if (out.length >= max) break;
  }
  return out;
}
