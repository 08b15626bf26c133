import type { Classifier } from './domain/classify.ts';
import type { Watch } from './domain/watch.ts';
import { loadOnce } from './load-once.ts';

/** A classifier built when first needed; `load` builds it once and hands the same one to every caller. */
export interface LazyClassifier {
  load(): Promise<Classifier>;
}

const build = async (watches: Watch[]): Promise<Classifier> => (await import('./domain/classify.ts')).createClassifier(watches);

/**
 * The ingest Lambda's main-thread classifier. The parser's worker threads classify everything
 * rss-parser reads; this thread needs a classifier only for items the lenient reader salvages,
 * which most cold starts never see. Importing the classifier (with chrono-node) at every cold
 * start cost about 12 ms of it (`npm run bench -- --only cold`), so it is imported on the first
 * such item, and the watches are read then too (`watches`). A bad watch file cannot reach a
 * Lambda: the bundle's watches are validated when it is built (validateBundledConfig in
 * infra/bundling.ts), so `cdk synth` fails on it. A load that fails is not kept:
 * the next item tries again rather than failing for the rest of the container's life.
 */
export function lazyClassifier(watches: () => Watch[] | Promise<Watch[]>, builder: (watches: Watch[]) => Promise<Classifier> = build): LazyClassifier {
  return { load: loadOnce(async () => builder(await watches())) };
}
