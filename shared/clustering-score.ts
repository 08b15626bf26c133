/**
 * B-cubed precision and recall of a clustering against gold groups (Bagga and Baldwin 1998).
 * For each item: precision is the share of its predicted cluster that shares its gold group,
 * recall the share of its gold group that shares its predicted cluster; both are averaged over
 * the items. Pure: the story eval and its tests call it.
 */

export interface ClusteringScore {
  items: number;
  precision: number;
  recall: number;
  f1: number;
  /** predicted clusters and gold groups among the scored items */
  clusters: number;
  groups: number;
}

/**
 * `predicted` and `gold` map each item id to a cluster and a group label. Only items in both
 * are scored; an item missing from `predicted` should be given its own cluster by the caller.
 */
export function bCubed(predicted: ReadonlyMap<string, string>, gold: ReadonlyMap<string, string>): ClusteringScore {
  const ids = [...gold.keys()].filter((id) => predicted.has(id));
  const byCluster = new Map<string, Set<string>>();
  const byGroup = new Map<string, Set<string>>();
  for (const id of ids) {
    const c = predicted.get(id) as string;
    const g = gold.get(id) as string;
    if (!byCluster.has(c)) byCluster.set(c, new Set());
    if (!byGroup.has(g)) byGroup.set(g, new Set());
    byCluster.get(c)?.add(id);
    byGroup.get(g)?.add(id);
  }
  let precision = 0;
  let recall = 0;
  for (const id of ids) {
    const cluster = byCluster.get(predicted.get(id) as string) as Set<string>;
    const group = byGroup.get(gold.get(id) as string) as Set<string>;
    let both = 0;
    for (const other of cluster) if (group.has(other)) both++;
    precision += both / cluster.size;
    recall += both / group.size;
  }
  const p = ids.length ? precision / ids.length : 0;
  const r = ids.length ? recall / ids.length : 0;
  return { items: ids.length, precision: p, recall: r, f1: p + r ? (2 * p * r) / (p + r) : 0, clusters: byCluster.size, groups: byGroup.size };
}
