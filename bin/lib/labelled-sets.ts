import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabelledItem } from '#shared/evaluation.ts';
import { REAL_NEWS_FILE, asLabelled, readRealNews, type RealLabelledItem } from '#shared/real-news.ts';

/**
 * The labelled sets the classifier is scored on:
 * - our own words (tests/fixtures/dev-set: dev, holdout, blind, blind-2), in the repository;
 * - real published news (../shared/corpora/real-news, split dev/holdout by event), read where it
 *   lies and never copied (shared/real-news.ts): a fresh clone has no ../shared, so callers skip it.
 */

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
export const OWN_SETS = ['dev', 'holdout', 'blind', 'blind-2'] as const;
export const REAL_SETS = ['real-dev', 'real-holdout', 'real'] as const;
export { REAL_NEWS_FILE };

export function readOwnSet(name: (typeof OWN_SETS)[number]): LabelledItem[] {
  return readFileSync(join(ROOT, 'tests/fixtures/dev-set', `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledItem);
}

/** Real items of one split or both; null when the corpus is not there. */
export function readRealSet(split?: 'dev' | 'holdout'): RealLabelledItem[] | null {
  const items = readRealNews();
  return items && items.map(asLabelled).filter((i) => !split || i.split === split);
}
