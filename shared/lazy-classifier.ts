import type { Classifier } from './domain/classify.ts';
import type { Watch } from './domain/watch.ts';

/** A classifier built when first needed; `load` builds it once and hands the same one to every caller. */
export interface LazyClassifier {
  load(): Promise<Classifier>;
}

/**
 * The ingest Lambda's main-thread classifier. The parser's worker threads classify everything
 * rss-parser reads; this thread needs a classifier only for items the lenient reader salvages,
 * which most cold starts never see. Importing the classifier (with chrono-node) at every cold
 * start cost about 12 ms of it (`npm run bench -- --only cold`), so it is imported on the first
 * such item. The watches are loaded, and so validated, at cold start by the caller: a bad watch
 * file still fails the cold start, not the first salvaged feed.
 */
export function lazyClassifier(watches: Watch[]): LazyClassifier {
  let loading: Promise<Classifier> | undefined;
  return {
    load() {
      loading ??= import('./domain/classify.ts').then(({ createClassifier }) => createClassifier(watches));
      return loading;
    },
  };
}
