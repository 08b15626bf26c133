import { readFileSync } from 'node:fs';
import { createClassifier } from '../shared/domain/classify.ts';
import { loadWatches } from '../shared/watches.ts';
const ids = process.argv.slice(2);
const c = createClassifier(loadWatches());
for (const f of ['dev', 'holdout']) for (const l of readFileSync(`tests/fixtures/dev-set/${f}.jsonl`, 'utf8').split('\n').filter(Boolean)) {
  const d = JSON.parse(l);
  if (!ids.includes(d.id)) continue;
  const r = c({ title: d.title, summary: d.summary, published: d.published });
  console.log(d.id, '|', d.title, '\n   ', d.summary, '\n   =>', r.relevant, r.types.join(','), 'sev', r.severity, 'ev:', r.evidence.slice(0, 100), JSON.stringify(r.actors));
}
