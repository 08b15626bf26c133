/**
 * `npm run eval`: scores the classifier on the labelled dev set written for this project
 * (tests/fixtures/dev-set). `--set holdout` or `--set blind` score the parts kept aside (blind was
 * written by someone who never saw the classifier); `--errors` lists misses;
 * `--json` prints the scores as one JSON object.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClassifier } from '#shared/domain/classify.ts';
import { loadWatches } from '#shared/watches.ts';
import { EVENT_TYPES } from '#shared/domain/types.ts';
import { score, type LabelledItem } from '#shared/evaluation.ts';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const { values } = parseArgs({
  options: { set: { type: 'string', default: 'dev' }, errors: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
  strict: true,
});
const known = ['dev', 'holdout', 'blind'];
const sets = values.set === 'all' ? known : (values.set as string).split(',');
for (const s of sets) {
  if (!known.includes(s)) {
    process.stderr.write(`--set takes ${known.join(', ')}, all, or a comma-separated list; got "${s}"\n`);
    process.exit(2);
  }
}

const items: LabelledItem[] = sets.flatMap((s) =>
  readFileSync(join(ROOT, 'tests/fixtures/dev-set', `${s}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledItem),
);
const classify = createClassifier(loadWatches());
const predictions = items.map((i) => classify({ title: i.title, summary: i.summary ?? '', ...(i.published ? { published: i.published } : {}) }));
const s = score(items, predictions);

if (values.json) {
  const { errors, ...rest } = s;
  process.stdout.write(`${JSON.stringify(values.errors ? s : rest)}\n`);
} else {
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`.padStart(6);
  const out: string[] = [];
  out.push(`Classifier on ${sets.join('+')} set: ${s.items} items`);
  out.push(`Relevance   precision ${pct(s.relevance.precision)}  recall ${pct(s.relevance.recall)}  F1 ${pct(s.relevance.f1)}  (tp ${s.relevance.tp}, fp ${s.relevance.fp}, fn ${s.relevance.fn})`);
  out.push(`Primary type accuracy ${pct(s.primaryAccuracy)}   macro-F1 types ${pct(s.macroF1Types)}   macro-F1 primary ${pct(s.macroF1Primary)}`);
  out.push(`Severity accuracy ${pct(s.severityAccuracy)}   direction accuracy ${pct(s.directionAccuracy)}`);
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
  out.push('', 'Confidence of relevant predictions: bin, predicted, truly relevant');
  for (const c of s.calibration) if (c.predicted) out.push(`  ${c.bin}  ${String(c.predicted).padStart(4)}  ${pct(c.correct / c.predicted)}`);
  if (values.errors) {
    out.push('', 'Errors:');
    for (const e of s.errors) out.push(`  ${e.id} ${e.kind.padEnd(16)} gold ${e.gold.padEnd(15)} got ${e.predicted.padEnd(15)} ${e.title}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
