/**
 * `npm run eval:stories`: how well stories match real-world events. Reads the labelled real-news
 * corpus beside the repository (../shared/corpora/real-news/items.jsonl), classifies each item
 * with the current classifier, forms stories with the pipeline's story code in publish order and
 * in shuffled orders, and scores B-cubed precision and recall of the stories against the corpus's
 * `event` keys over the gold-relevant items that carry one.
 *
 *   --split dev|holdout|all   which part of the corpus (default all)
 *   --orders <n>              shuffled orders to try besides publish order (default 20)
 *   --errors                  list the events split across stories and the stories mixing events
 *   --json                    one JSON object
 */
import { parseArgs } from 'node:util';
import { createClassifier } from '#shared/domain/classify.ts';
import { loadWatches } from '#shared/watches.ts';
import { storiesFrom } from '#shared/domain/stories.ts';
import { bCubed, type ClusteringScore } from '#shared/clustering-score.ts';
import { shuffled } from '#shared/evaluation-orders.ts';
import type { Article, EventType } from '#shared/domain/types.ts';
import { REAL_NEWS_FILE, dayOf, readRealNews, type RealNewsItem } from '#shared/real-news.ts';

const CORPUS = REAL_NEWS_FILE;

const { values } = parseArgs({
  options: { split: { type: 'string', default: 'all' }, orders: { type: 'string', default: '20' }, errors: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
  strict: true,
});
if (!['dev', 'holdout', 'all'].includes(values.split as string)) {
  process.stderr.write(`--split takes dev, holdout or all; got "${values.split}"\n`);
  process.exit(2);
}
const orders = Number(values.orders);
if (!Number.isInteger(orders) || orders < 0 || orders > 1000) {
  process.stderr.write(`--orders must be a whole number from 0 to 1000; got "${values.orders}"\n`);
  process.exit(2);
}
const corpus = readRealNews(CORPUS);
if (!corpus) {
  process.stderr.write(`the real-news corpus is not at ${CORPUS}; this evaluation needs it\n`);
  process.exit(1);
}
const items = corpus.filter((i) => i.label.relevant && i.event && (values.split === 'all' || i.split === values.split));
const classify = createClassifier(loadWatches());

// The corpus gives a day, not a time; noon UTC stands in. An undated item cannot be placed in
// time at all: it is scored apart, with its event's day standing in for the fetch time a live
// pipeline would give it (dayOf: that borrows the day from the gold key, so it is reported separately).
const articleOf = (i: RealNewsItem, day: string): Article => {
  const publishedAt = `${day}T12:00:00.000Z`;
  return {
    articleId: i.id,
    url: i.source,
    title: i.title,
    summary: i.summary,
    publishedAt,
    publishedFromFeed: i.date !== null,
    feedId: i.outlet,
    outlet: i.outlet,
    language: 'en',
    fetchedAt: publishedAt,
    classification: classify({ title: i.title, summary: i.summary, published: publishedAt }),
    storyId: null,
  };
};

interface Scored {
  name: string;
  gold: number;
  missed: number;
  /** over all gold items; a missed item is its own story */
  all: ClusteringScore;
  /** over the items the classifier marked relevant */
  placed: ClusteringScore;
  /** the worst of the shuffled orders, and whether every order gave the same stories */
  worstShuffled: { precision: number; recall: number };
  sameInEveryOrder: boolean;
}

/**
 * With `labelledTypes`, the classifier's types of an item it found relevant are replaced by the
 * labelled ones (its dyad, actors and dates stay): how much of the score the classifier's typing costs.
 */
function evaluate(name: string, subset: RealNewsItem[], withKeyDay: boolean, labelledTypes = false): { scored: Scored; clusters: Map<string, string>; articles: Article[] } {
  const articles = subset.map((i) => {
    const a = articleOf(i, withKeyDay ? dayOf(i) : (i.date as string));
    if (!labelledTypes || !a.classification.relevant || !i.label.primary) return a;
    return { ...a, classification: { ...a.classification, primary: i.label.primary as EventType, types: i.label.types as EventType[], severity: i.label.severity ?? a.classification.severity } };
  });
  const gold = new Map(subset.map((i) => [i.id, i.event as string]));
  const relevant = articles.filter((a) => a.classification.relevant).sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.articleId.localeCompare(b.articleId));
  const clusterOf = (ordered: Article[]) => {
    const out = new Map<string, string>();
    for (const s of storiesFrom(ordered)) for (const r of s.articles) out.set(r.articleId, s.articles.map((x) => x.articleId).sort().join(','));
    return out;
  };
  const clusters = clusterOf(relevant);
  const withMissed = new Map(clusters);
  for (const a of articles) if (!withMissed.has(a.articleId)) withMissed.set(a.articleId, `missed:${a.articleId}`);
  const placedGold = new Map([...gold].filter(([id]) => clusters.has(id)));
  let worst = { precision: 1, recall: 1 };
  let same = true;
  const canonical = JSON.stringify([...new Set(clusters.values())].sort());
  for (let seed = 1; seed <= orders; seed++) {
    const c = clusterOf(shuffled(relevant, seed));
    const s = bCubed(c, placedGold);
    worst = { precision: Math.min(worst.precision, s.precision), recall: Math.min(worst.recall, s.recall) };
    if (JSON.stringify([...new Set(c.values())].sort()) !== canonical) same = false;
  }
  return {
    scored: { name, gold: subset.length, missed: articles.length - relevant.length, all: bCubed(withMissed, gold), placed: bCubed(clusters, placedGold), worstShuffled: worst, sameInEveryOrder: same },
    clusters,
    articles,
  };
}

const dated = items.filter((i) => i.date);
const runs = [
  evaluate('dated items', dated, false),
  evaluate('all items (undated on their event day)', items, true),
  evaluate('dated items, the classifier’s types replaced by the labels', dated, false, true),
];

if (values.json) {
  process.stdout.write(`${JSON.stringify({ split: values.split, orders, results: runs.map((r) => r.scored) })}\n`);
} else {
  const f = (v: number) => v.toFixed(3);
  const out = [`Stories against the real-news event keys (${values.split} split; B-cubed; publish order and ${orders} shuffled orders)`];
  for (const { scored: s } of runs) {
    out.push(
      '',
      `${s.name}: ${s.gold} gold-relevant items with an event key, ${s.missed} missed by the classifier`,
      `  classifier-relevant items (${s.placed.items}): precision ${f(s.placed.precision)}  recall ${f(s.placed.recall)}  F1 ${f(s.placed.f1)}  (${s.placed.clusters} stories for ${s.placed.groups} events)`,
      `  all gold items, a miss its own story (${s.all.items}): precision ${f(s.all.precision)}  recall ${f(s.all.recall)}  F1 ${f(s.all.f1)}`,
      orders ? `  shuffled orders: ${s.sameInEveryOrder ? 'the same stories in every order' : 'STORIES DIFFER BY ORDER'}; worst precision ${f(s.worstShuffled.precision)}, recall ${f(s.worstShuffled.recall)}` : '  shuffled orders: none asked for',
    );
  }
  if (values.errors) {
    const { clusters, articles } = runs[1] as (typeof runs)[number];
    const byId = new Map(items.map((i) => [i.id, i]));
    const line = (id: string) => {
      const a = articles.find((x) => x.articleId === id) as Article;
      const c = a.classification;
      return `    ${id} ${a.publishedAt.slice(0, 10)}${byId.get(id)?.date ? ' ' : '*'} ${String(c.primary).padEnd(15)} ${(byId.get(id)?.event ?? '').padEnd(44)} ${a.title.slice(0, 70)}`;
    };
    out.push('', 'Stories mixing events (all items):');
    for (const members of new Set(clusters.values())) {
      const ids = members.split(',');
      if (new Set(ids.map((id) => byId.get(id)?.event)).size > 1) out.push('  story:', ...ids.map(line));
    }
    out.push('', 'Events split across stories (all items):');
    const byEvent = new Map<string, string[]>();
    for (const [id] of clusters) byEvent.set(byId.get(id)?.event as string, [...(byEvent.get(byId.get(id)?.event as string) ?? []), id]);
    for (const [event, ids] of byEvent) {
      if (new Set(ids.map((id) => clusters.get(id))).size > 1) out.push(`  ${event}:`, ...ids.map((id) => `${line(id)}  [story ${[...new Set(ids.map((x) => clusters.get(x)))].indexOf(clusters.get(id)) + 1}]`));
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
