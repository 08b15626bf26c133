import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabelledItem } from '#shared/evaluation.ts';
import { isEventType, type EventType } from '#shared/domain/types.ts';

/**
 * The labelled sets the classifier is scored on:
 * - our own words (tests/fixtures/dev-set: dev, holdout, blind, blind-2), in the repository;
 * - real published news (../shared/corpora/real-news/items.jsonl, split dev/holdout by event),
 *   read where it lies and never copied: a fresh clone has no ../shared, so callers skip it.
 */

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
export const OWN_SETS = ['dev', 'holdout', 'blind', 'blind-2'] as const;
export const REAL_SETS = ['real-dev', 'real-holdout', 'real'] as const;
export const REAL_NEWS_FILE = resolve(ROOT, '..', 'shared', 'corpora', 'real-news', 'items.jsonl');

/** A real item: labelled as an own-words one, plus the real-world event it reports. */
export interface RealItem extends LabelledItem {
  event: string | null;
  split: 'dev' | 'holdout';
  /** the labeller marked it a close call ("LEAST SURE"): scored beside the headline figures */
  leastSure: boolean;
  outlet: string;
}

export function readOwnSet(name: (typeof OWN_SETS)[number]): LabelledItem[] {
  return readJsonl(join(ROOT, 'tests/fixtures/dev-set', `${name}.jsonl`)) as LabelledItem[];
}

export function realNewsAvailable(file: string = REAL_NEWS_FILE): boolean {
  return existsSync(file);
}

/** Items of the real-news corpus, all or one split; throws naming the file and line when malformed. */
export function readRealNews(split?: 'dev' | 'holdout', file: string = REAL_NEWS_FILE): RealItem[] {
  const raw = readJsonl(file);
  return raw.map((r, n) => toRealItem(r, `${file}:${n + 1}`)).filter((i) => !split || i.split === split);
}

function toRealItem(r: unknown, where: string): RealItem {
  const o = r as Record<string, unknown> & { label?: Record<string, unknown> };
  const label = o.label;
  if (typeof o.id !== 'string' || typeof o.title !== 'string' || !label || typeof label.relevant !== 'boolean') {
    throw new Error(`${where}: expected {id, title, label: {relevant, ...}}`);
  }
  const types = (Array.isArray(label.types) ? label.types : []).filter((t): t is EventType => typeof t === 'string' && isEventType(t));
  const primary = typeof label.primary === 'string' && isEventType(label.primary) ? label.primary : null;
  if (label.relevant && !primary) throw new Error(`${where}: a relevant item needs a primary type from TAXONOMY.md`);
  const date = typeof o.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(o.date) ? o.date : null;
  return {
    id: o.id,
    title: o.title,
    summary: typeof o.summary === 'string' ? o.summary : '',
    // The corpus gives the day only: noon UTC keeps "today" on that day in either dyad's time zone.
    ...(date ? { published: `${date}T12:00:00Z` } : {}),
    relevant: label.relevant,
    types,
    primary: label.relevant ? primary : null,
    severity: typeof label.severity === 'number' ? label.severity : 0,
    direction: null,
    event: typeof o.event === 'string' ? o.event : null,
    split: o.split === 'holdout' ? 'holdout' : 'dev',
    leastSure: typeof label.note === 'string' && /LEAST SURE/.test(label.note),
    outlet: typeof o.outlet === 'string' ? o.outlet : '',
  };
}

function readJsonl(file: string): unknown[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, n) => ({ line, n }))
    .filter(({ line }) => line.trim())
    .map(({ line, n }) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new Error(`${file}:${n + 1}: not JSON`);
      }
    });
}
