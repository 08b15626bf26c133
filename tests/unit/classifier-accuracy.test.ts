import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClassifier } from '#shared/domain/classify.ts';
import { loadWatches } from '#shared/watches.ts';
import { score, type LabelledItem } from '#shared/evaluation.ts';

/** Issue 3's targets on the labelled sets written for this project (tests/fixtures/dev-set). */
const ROOT = resolve(import.meta.dirname, '../..');
const read = (name: string): LabelledItem[] =>
  readFileSync(resolve(ROOT, 'tests/fixtures/dev-set', `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledItem);

describe('classifier accuracy on the labelled sets', () => {
  const classify = createClassifier(loadWatches());
  const items = [...read('dev'), ...read('holdout')];
  const scores = score(items, items.map((i) => classify({ title: i.title, summary: i.summary ?? '', ...(i.published ? { published: i.published } : {}) })));

  it('finds Iran–Pakistan events with precision ≥ 0.95 and recall ≥ 0.92', () => {
    expect(scores.relevance.precision).toBeGreaterThanOrEqual(0.95);
    expect(scores.relevance.recall).toBeGreaterThanOrEqual(0.92);
  });

  it('names the primary type right for ≥ 85% of events, macro-F1 over types ≥ 0.80', () => {
    expect(scores.primaryAccuracy).toBeGreaterThanOrEqual(0.85);
    expect(scores.macroF1Types).toBeGreaterThanOrEqual(0.8);
  });

  it('keeps the direction of strikes, incidents, recalls and protests', () => {
    expect(scores.directionAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('covers every type and both strike directions in the labels', () => {
    expect(Object.values(scores.perType).every((t) => t.support >= 10)).toBe(true);
    const directions = new Set(items.filter((i) => i.primary === 'strike').map((i) => `${i.direction?.source}>${i.direction?.target}`));
    expect(directions).toEqual(new Set(['IR>PK', 'PK>IR']));
  });
});
