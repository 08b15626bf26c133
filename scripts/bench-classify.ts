/**
 * `npm run bench:classify`: classifier throughput on title + summary (one core) and the time to
 * load the classifier module. A benchmark, not a test: it prints figures and asserts nothing.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const loadStart = performance.now();
const { createClassifier } = await import('../shared/domain/classify.ts');
const { loadWatches } = await import('../shared/watches.ts');
const classify = createClassifier(loadWatches());
const loadMs = performance.now() - loadStart;

const items = ['dev', 'holdout'].flatMap((s) =>
  readFileSync(join(ROOT, 'tests/fixtures/dev-set', `${s}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { title: string; summary?: string; published?: string }),
);
const target = Number(process.argv[2] ?? 20_000);
const runs: number[] = [];
let relevant = 0;
for (let round = 0; round < 5; round++) {
  const start = performance.now();
  for (let i = 0; i < target; i++) {
    const item = items[i % items.length]!;
    if (classify({ title: item.title, summary: item.summary ?? '', ...(item.published ? { published: item.published } : {}) }).relevant) relevant++;
  }
  runs.push(target / ((performance.now() - start) / 1000));
}
runs.sort((a, b) => a - b);

// A news-like mix: real feeds carry few Iran–Pakistan items. 1 in 25 from the labelled relevant
// items, the rest generated general news.
const WORDS = 'market council budget rain court election school hospital road power cricket film farmers prices bank port railway exports reform water housing minister governor police'.split(' ');
const relevantItems = items.filter((_, i) => i % 2 === 0);
const mix = Array.from({ length: 5000 }, (_, i) => {
  if (i % 25 === 0) return relevantItems[i % relevantItems.length] as (typeof items)[number];
  const w = (k: number) => WORDS[(i * 7 + k * 13) % WORDS.length];
  return { title: `${w(1)} ${w(2)} plan draws ${w(3)} debate in provincial ${w(4)}`, summary: `The ${w(5)} said on Thursday the ${w(6)} would be reviewed. Officials from the ${w(7)} and ${w(8)} departments met.`, published: '2026-11-27T10:00:00Z' };
});
const mixRuns: number[] = [];
for (let round = 0; round < 5; round++) {
  const start = performance.now();
  for (let i = 0; i < target; i++) {
    const item = mix[i % mix.length]!;
    classify({ title: item.title, summary: item.summary ?? '', ...(item.published ? { published: item.published } : {}) });
  }
  mixRuns.push(target / ((performance.now() - start) / 1000));
}
mixRuns.sort((a, b) => a - b);
// Module load in a fresh process, bundled as the Lambda bundles it (esbuild, ESM, minified).
const bundle = join(ROOT, '.tmp', 'classifier-bundle.mjs');
execFileSync(join(ROOT, 'node_modules/.bin/esbuild'), [join(ROOT, 'shared/domain/classify.ts'), '--bundle', '--platform=node', '--format=esm', '--minify', `--outfile=${bundle}`, '--log-level=error']);
const fresh: number[] = [];
for (let i = 0; i < 7; i++) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `const t = performance.now(); await import(${JSON.stringify(bundle)}); console.log(performance.now() - t);`], { encoding: 'utf8' });
  fresh.push(Number(out.trim()));
}
fresh.sort((a, b) => a - b);
console.log(`items: ${items.length} distinct, ${target} per round, 5 rounds (${relevant / 5} relevant per round)`);
console.log(`throughput: median ${Math.round(runs[2]!).toLocaleString('en')} items/s (min ${Math.round(runs[0]!).toLocaleString('en')}, max ${Math.round(runs[4]!).toLocaleString('en')}) on one core`);
console.log(`news-like mix (1 in 25 relevant): median ${Math.round(mixRuns[2]!).toLocaleString('en')} items/s (min ${Math.round(mixRuns[0]!).toLocaleString('en')}, max ${Math.round(mixRuns[4]!).toLocaleString('en')})`);
console.log(`classifier module load (bundled, fresh process, median of 7): ${fresh[3]!.toFixed(1)} ms; first load here incl. watches and TS transform: ${loadMs.toFixed(0)} ms`);
