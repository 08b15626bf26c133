import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabelledItem } from './evaluation.ts';
import { isEventType, type EventType } from './domain/types.ts';

/**
 * The labelled real-news corpus beside the repository (../shared/corpora/real-news/items.jsonl),
 * read at evaluation and test time only: its texts belong to their publishers and are never
 * copied into the repository.
 */
/** Where the corpus lies: ../shared beside the repository. */
export const REAL_NEWS_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'corpora', 'real-news', 'items.jsonl');

export interface RealNewsItem {
  id: string;
  source: string;
  outlet: string;
  /** YYYY-MM-DD, or null when the page gave none */
  date: string | null;
  title: string;
  summary: string;
  label: { relevant: boolean; types: string[]; primary: string | null; severity: number | null; note?: string };
  /** shared by reports of one real-world event */
  event: string | null;
  split: 'dev' | 'holdout';
}

/** The corpus's items, or null when it is not there (a checkout without ../shared). */
export function readRealNews(path: string = REAL_NEWS_FILE): RealNewsItem[] | null {
  if (!existsSync(path)) return null;
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line, n) => ({ line, n }))
    .filter(({ line }) => line.trim())
    .map(({ line, n }) => {
      try {
        return JSON.parse(line) as RealNewsItem;
      } catch {
        throw new Error(`${path}:${n + 1}: not JSON`);
      }
    });
}

/** A real item as the classifier's scoring takes it, plus its event, split and close-call mark. */
export interface RealLabelledItem extends LabelledItem {
  event: string | null;
  split: 'dev' | 'holdout';
  /** the labeller marked it a close call ("LEAST SURE"): scored beside the headline figures */
  leastSure: boolean;
}

export function asLabelled(item: RealNewsItem): RealLabelledItem {
  const { label } = item;
  const types = label.types.filter((t): t is EventType => isEventType(t));
  const primary = label.primary && isEventType(label.primary) ? label.primary : null;
  if (label.relevant && !primary) throw new Error(`real-news item ${item.id}: a relevant item needs a primary type from TAXONOMY.md`);
  return {
    id: item.id,
    title: item.title,
    summary: item.summary ?? '',
    // The corpus gives the day only: noon UTC keeps "today" on that day in either dyad's time zone.
    ...(item.date ? { published: `${item.date}T12:00:00Z` } : {}),
    relevant: label.relevant,
    types,
    primary: label.relevant ? primary : null,
    severity: label.severity ?? 0,
    direction: null,
    event: item.event,
    split: item.split,
    leastSure: /LEAST SURE/.test(label.note ?? ''),
  };
}

/**
 * The day an item is placed on: its own date, or for an undated one the day its event key names
 * (the day a live pipeline would have fetched it, give or take). That borrows from the gold key,
 * so results over undated items are reported apart.
 */
export function dayOf(item: RealNewsItem): string {
  if (item.date) return item.date;
  const event = item.event ?? '';
  const day = /^\d{4}-\d{2}-\d{2}/.exec(event)?.[0];
  if (day) return day;
  const month = /^(\d{4}-(?:0[1-9]|1[0-2]))(?:-|$)/.exec(event)?.[1];
  return month ? `${month}-15` : `${event.slice(0, 4)}-07-01`;
}
