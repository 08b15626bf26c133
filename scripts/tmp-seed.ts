import { readFileSync } from 'node:fs';
import { createClassifier } from '../shared/domain/classify.ts';
import { loadWatches } from '../shared/watches.ts';
const lines = readFileSync('../shared/seeds/000_923245bf72865a31.txt', 'utf8').split('\n');
const c = createClassifier(loadWatches());
const title = lines[0]!;
for (const [name, summary] of [['line2', lines[1]!], ['all', lines.slice(1).join('\n')], ['body', lines.slice(4).join('\n')]] as const) {
  const r = c({ title, summary, published: '2024-01-22T10:00:00Z' });
  console.log(name, JSON.stringify({ ...r, evidence: r.evidence.slice(0, 80) }));
}
