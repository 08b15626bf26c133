import type { Classification, EventType } from './domain/types.ts';
import { EVENT_TYPES } from './domain/types.ts';

/**
 * Scoring of the classifier against labelled items (our own-words sets and the real-news corpus). Pure: the eval CLI
 * and the accuracy tests both call it.
 */

export interface LabelledItem {
  id: string;
  title: string;
  summary?: string;
  published?: string;
  relevant: boolean;
  types: EventType[];
  primary: EventType | null;
  severity: number;
  direction: { source: string; target: string } | null;
}

export interface Scores {
  items: number;
  relevance: { precision: number; recall: number; f1: number; tp: number; fp: number; fn: number };
  primaryAccuracy: number;
  /** multi-label F1 of each type over all items */
  perType: Record<EventType, { precision: number; recall: number; f1: number; support: number }>;
  macroF1Types: number;
  /** F1 of the primary type as a single label, over gold-relevant items, averaged over types */
  macroF1Primary: number;
  severityAccuracy: number;
  directionAccuracy: number;
  /** relevant items whose direction is labelled and whose primary type was right */
  directionTotal: number;
  /** gold primary (or "none") → predicted primary (or "none") → count */
  confusion: Record<string, Record<string, number>>;
  /** confidence bins of relevant predictions: how many, their summed confidence, how many were truly relevant and how many also had the right primary type */
  calibration: { bin: string; predicted: number; confidenceSum: number; correct: number; primaryCorrect: number }[];
  errors: { id: string; kind: string; gold: string; predicted: string; title: string }[];
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

export function score(items: LabelledItem[], predictions: Classification[]): Scores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let primaryHits = 0;
  let goldRelevant = 0;
  let severityHits = 0;
  let directionTotal = 0;
  let directionHits = 0;
  const typeCounts = Object.fromEntries(EVENT_TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0 }])) as Record<EventType, { tp: number; fp: number; fn: number }>;
  const primaryCounts = Object.fromEntries(EVENT_TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0 }])) as Record<EventType, { tp: number; fp: number; fn: number }>;
  const confusion: Scores['confusion'] = {};
  const bins = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01];
  const calibration = bins.slice(0, -1).map((lo, i) => ({ bin: `${lo.toFixed(1)}-${Math.min(1, bins[i + 1] as number).toFixed(1)}`, predicted: 0, confidenceSum: 0, correct: 0, primaryCorrect: 0 }));
  const errors: Scores['errors'] = [];

  items.forEach((gold, i) => {
    const pred = predictions[i] as Classification;
    if (pred.relevant && gold.relevant) tp++;
    else if (pred.relevant) fp++;
    else if (gold.relevant) fn++;
    if (pred.relevant !== gold.relevant) errors.push({ id: gold.id, kind: gold.relevant ? 'missed' : 'false-positive', gold: gold.primary ?? 'none', predicted: pred.primary ?? 'none', title: gold.title });

    if (pred.relevant) {
      const bin = calibration[bins.findIndex((lo, k) => pred.confidence >= lo && pred.confidence < (bins[k + 1] as number))];
      if (bin) {
        bin.predicted++;
        bin.confidenceSum += pred.confidence;
        if (gold.relevant) bin.correct++;
        if (gold.relevant && pred.primary === gold.primary) bin.primaryCorrect++;
      }
    }

    const goldKey = gold.relevant ? (gold.primary ?? 'none') : 'none';
    const predKey = pred.relevant ? (pred.primary ?? 'none') : 'none';
    confusion[goldKey] ??= {};
    confusion[goldKey][predKey] = (confusion[goldKey][predKey] ?? 0) + 1;

    const goldTypes = new Set(gold.relevant ? gold.types : []);
    const predTypes = new Set(pred.relevant ? pred.types : []);
    for (const t of EVENT_TYPES) {
      if (goldTypes.has(t) && predTypes.has(t)) typeCounts[t].tp++;
      else if (predTypes.has(t)) typeCounts[t].fp++;
      else if (goldTypes.has(t)) typeCounts[t].fn++;
    }

    if (gold.relevant && gold.primary) {
      goldRelevant++;
      const hit = pred.relevant && pred.primary === gold.primary;
      if (hit) primaryHits++;
      else if (pred.relevant) errors.push({ id: gold.id, kind: 'wrong-primary', gold: gold.primary, predicted: pred.primary ?? 'none', title: gold.title });
      if (pred.relevant && pred.severity === gold.severity) severityHits++;
      if (hit) primaryCounts[gold.primary].tp++;
      else {
        primaryCounts[gold.primary].fn++;
        if (pred.relevant && pred.primary) primaryCounts[pred.primary].fp++;
      }
      if (gold.direction && hit) {
        directionTotal++;
        const sides = pred.actors as { country: string; side?: string }[];
        const source = sides.find((a) => a.side === 'source')?.country;
        const target = sides.find((a) => a.side === 'target')?.country;
        if (source === gold.direction.source && target === gold.direction.target) directionHits++;
        else errors.push({ id: gold.id, kind: 'wrong-direction', gold: `${gold.direction.source}>${gold.direction.target}`, predicted: `${source}>${target}`, title: gold.title });
      }
    }
  });

  const perType = Object.fromEntries(
    EVENT_TYPES.map((t) => {
      const c = typeCounts[t];
      const precision = ratio(c.tp, c.tp + c.fp);
      const recall = ratio(c.tp, c.tp + c.fn);
      return [t, { precision, recall, f1: f1(precision, recall), support: c.tp + c.fn }];
    }),
  ) as Scores['perType'];
  const withSupport = EVENT_TYPES.filter((t) => perType[t].support > 0);
  const primaryF1 = EVENT_TYPES.filter((t) => primaryCounts[t].tp + primaryCounts[t].fn > 0).map((t) => {
    const c = primaryCounts[t];
    return f1(ratio(c.tp, c.tp + c.fp), ratio(c.tp, c.tp + c.fn));
  });
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    items: items.length,
    relevance: { precision, recall, f1: f1(precision, recall), tp, fp, fn },
    primaryAccuracy: ratio(primaryHits, goldRelevant),
    perType,
    macroF1Types: ratio(withSupport.reduce((s, t) => s + perType[t].f1, 0), withSupport.length),
    macroF1Primary: ratio(primaryF1.reduce((s, v) => s + v, 0), primaryF1.length),
    severityAccuracy: ratio(severityHits, goldRelevant),
    directionAccuracy: ratio(directionHits, directionTotal),
    directionTotal,
    confusion,
    calibration,
    errors,
  };
}
