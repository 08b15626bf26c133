/**
 * `npm run eval`: scores the classifier on labelled items.
 * - `--set dev | holdout | blind` (default dev): the sets written for this project
 *   (tests/fixtures/dev-set; blind was written by someone who never saw the classifier);
 * - `--set real-dev | real-holdout | real`: real published news, ../shared/corpora/real-news,
 *   split by event. Items the labeller marked LEAST SURE are left out of the headline figures
 *   and scored beside them. Tune on real-dev; real-holdout is for a final check.
 * `--set all` or a comma-separated list combines sets; `--errors` lists misses; `--json`
 * prints the scores as one JSON object.
 */
import { parseArgs } from 'node:util';
import { createClassifier } from '#shared/domain/classify.ts';
import { loadWatches } from '#shared/watches.ts';
import { EVENT_TYPES } from '#shared/domain/types.ts';
import { score, type LabelledItem, type Scores } from '#shared/evaluation.ts';
import { OWN_SETS, REAL_NEWS_FILE, REAL_SETS, readOwnSet, readRealSet } from './lib/labelled-sets.ts';
import type { RealLabelledItem } from '#shared/real-news.ts';

const { values } = parseArgs({
  options: { set: { type: 'string', default: 'dev' }, errors: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
  strict: true,
});
const known: string[] = [...OWN_SETS, ...REAL_SETS];
const sets = values.set === 'all' ? [...OWN_SETS] : (values.set as string).split(',');
for (const s of sets) {
  if (!known.includes(s)) {
    process.stderr.write(`--set takes ${known.join(', ')}, all, or a comma-separated list; got "${s}"\n`);
    process.exit(2);
  }
}
const real = sets.some((s) => s.startsWith('real')) ? readRealSet() : [];
if (!real) {
  process.stderr.write(`real-news sets need ${REAL_NEWS_FILE} (the corpus beside the repository); it is not there\n`);
  process.exit(2);
}

const realOf = (s: string): RealLabelledItem[] => real.filter((i) => s === 'real' || i.split === (s === 'real-dev' ? 'dev' : 'holdout'));
const items: (LabelledItem | RealLabelledItem)[] = sets.flatMap((s) => (s.startsWith('real') ? realOf(s) : readOwnSet(s as (typeof OWN_SETS)[number])));
const classify = createClassifier(loadWatches());
const predictions = items.map((i) => classify({ title: i.title, summary: i.summary ?? '', ...(i.published ? { published: i.published } : {}) }));
const isLeastSure = (i: LabelledItem | RealLabelledItem) => 'leastSure' in i && i.leastSure;
const pick = (keep: (i: LabelledItem | RealLabelledItem) => boolean) => {
  const idx = items.map((_, n) => n).filter((n) => keep(items[n] as LabelledItem));
  return score(
    idx.map((n) => items[n] as LabelledItem),
    idx.map((n) => predictions[n]!),
  );
};
const headline = pick((i) => !isLeastSure(i));
const closeCalls = items.some(isLeastSure) ? pick(isLeastSure) : null;

if (values.json) {
  const trim = (s: Scores) => {
    const { errors, ...rest } = s;
    return values.errors ? s : rest;
  };
  process.stdout.write(`${JSON.stringify({ sets, ...trim(headline), ...(closeCalls ? { leastSure: trim(closeCalls) } : {}) })}\n`);
} else {
  const out = render(`Classifier on ${sets.join('+')}: ${headline.items} items${closeCalls ? ` (${closeCalls.items} LEAST SURE left out, scored below)` : ''}`, headline, values.errors);
  if (closeCalls) out.push('', ...render(`LEAST SURE items (close calls, not in the figures above): ${closeCalls.items}`, closeCalls, values.errors, true));
  process.stdout.write(`${out.join('\n')}\n`);
}

function render(heading: string, s: Scores, withErrors: boolean | undefined, brief = false): string[] {
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`.padStart(6);
  const out: string[] = [heading];
  out.push(`Relevance   precision ${pct(s.relevance.precision)}  recall ${pct(s.relevance.recall)}  F1 ${pct(s.relevance.f1)}  (tp ${s.relevance.tp}, fp ${s.relevance.fp}, fn ${s.relevance.fn})`);
  out.push(`Primary type accuracy ${pct(s.primaryAccuracy)}   macro-F1 types ${pct(s.macroF1Types)}   macro-F1 primary ${pct(s.macroF1Primary)}`);
  out.push(`Severity accuracy ${pct(s.severityAccuracy)}   direction accuracy ${s.directionTotal ? pct(s.directionAccuracy) : '   n/a'} (${s.directionTotal} labelled)`);
  if (!brief) {
    out.push('', 'type              precision  recall     F1  support');
    for (const t of EVENT_TYPES) {
      const r = s.perType[t];
      out.push(`${t.padEnd(16)}   ${pct(r.precision)}  ${pct(r.recall)} ${pct(r.f1)}  ${String(r.support).padStart(7)}`);
    }
    const labels = ['none', ...EVENT_TYPES];
    const short = (l: string) => l.replace('envoy_', 'env_').replace('border_incident', 'border').replace('trade_energy', 'trade').replace('de_escalation', 'de_esc').slice(0, 6);
    out.push('', 'Confusion of primary type (rows: labelled, columns: predicted)', `${''.padEnd(16)}${labels.map((l) => short(l).padStart(7)).join('')}`);
    for (const g of labels) {
      const row = s.confusion[g];
      if (!row) continue;
      out.push(`${g.padEnd(16)}${labels.map((p) => String(row[p] ?? '.').padStart(7)).join('')}`);
    }
    out.push('', 'Reliability of confidence (relevant predictions): bin, predicted, mean confidence, truly relevant, right primary');
    for (const c of s.calibration) {
      if (!c.predicted) continue;
      out.push(`  ${c.bin}  ${String(c.predicted).padStart(4)}   ${(c.confidenceSum / c.predicted).toFixed(2)}   ${pct(c.correct / c.predicted)}   ${pct(c.primaryCorrect / c.predicted)}`);
    }
  }
  if (withErrors) {
    out.push('', 'Errors:');
    for (const e of s.errors) out.push(`  ${e.id} ${e.kind.padEnd(16)} gold ${e.gold.padEnd(15)} got ${e.predicted.padEnd(15)} ${e.title}`);
  }
  return out;
}
