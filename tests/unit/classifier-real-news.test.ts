import { describe, expect, it } from 'vitest';
import { createClassifier } from '#shared/domain/classify.ts';
import { loadWatches } from '#shared/watches.ts';
import { score } from '#shared/evaluation.ts';
import { REAL_NEWS_FILE, readRealSet } from '../../bin/lib/labelled-sets.ts';

/**
 * The classifier on real published news (../shared/corpora/real-news, beside the repository and
 * never copied into it), dev split only: the holdout split is kept for a final check by
 * `npm run eval -- --set real-holdout`. Close calls (LEAST SURE) are left out, as in the eval.
 * These floors are issue 13's targets; a change that fits our own fixtures but breaks real
 * wording fails here. A fresh clone has no ../shared: the test then skips and says so.
 */
const devItems = readRealSet('dev');
const present = devItems !== null;
if (!present) console.warn(`real-news corpus not found at ${REAL_NEWS_FILE}: skipping the real-news accuracy floors (they need ../shared beside the repository)`);

describe.skipIf(!present)('classifier accuracy on real news (dev split)', () => {
  const items = (devItems ?? []).filter((i) => !i.leastSure);
  const classify = createClassifier(loadWatches());
  const scores = score(items, items.map((i) => classify({ title: i.title, summary: i.summary ?? '', ...(i.published ? { published: i.published } : {}) })));

  it('scores enough items to mean something', () => {
    expect(items.length).toBeGreaterThanOrEqual(200);
  });

  it('finds real Iran–Pakistan events with precision ≥ 0.95 and recall ≥ 0.92', () => {
    expect(scores.relevance.precision).toBeGreaterThanOrEqual(0.95);
    expect(scores.relevance.recall).toBeGreaterThanOrEqual(0.92);
  });

  it('names the primary type right for ≥ 85% of real events, macro-F1 over types ≥ 0.80', () => {
    expect(scores.primaryAccuracy).toBeGreaterThanOrEqual(0.85);
    expect(scores.macroF1Types).toBeGreaterThanOrEqual(0.8);
  });

  it('gives the severity TAXONOMY.md asks for to ≥ 80% of real events', () => {
    expect(scores.severityAccuracy).toBeGreaterThanOrEqual(0.8);
  });
});
