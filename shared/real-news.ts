import { existsSync, readFileSync } from 'node:fs';

/**
 * The labelled real-news corpus beside the repository (../shared/corpora/real-news/items.jsonl),
 * read at evaluation and test time only: its texts belong to their publishers and are never
 * copied into the repository.
 */
export interface RealNewsItem {
  id: string;
  source: string;
  outlet: string;
  /** YYYY-MM-DD, or null when the page gave none */
  date: string | null;
  title: string;
  summary: string;
  label: { relevant: boolean; types: string[]; primary: string | null; severity: number | null };
  /** shared by reports of one real-world event */
  event: string | null;
  split: 'dev' | 'holdout';
}

/** The corpus's items, or null when it is not there (a checkout without ../shared). */
export function readRealNews(path: string): RealNewsItem[] | null {
  if (!existsSync(path)) return null;
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as RealNewsItem);
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
