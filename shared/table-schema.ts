/**
 * The single table's keys and indexes, shared by the CDK data stack and the local runner so the
 * embedded table is created exactly as in AWS. Single-attribute string keys only: dynalite
 * rejects the newer multi-attribute GSI keys.
 */
export const TABLE = {
  defaultName: 'iran-pakistan-events',
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  indexes: {
    byDay: { name: 'byDay', partitionKey: 'day', sortKey: 'publishedAt' },
    byType: { name: 'byType', partitionKey: 'eventType', sortKey: 'publishedAt' },
    byDyad: { name: 'byDyad', partitionKey: 'dyad', sortKey: 'publishedAt' },
  },
} as const;

export const KEY = {
  article: (articleId: string) => ({ pk: `ART#${articleId}`, sk: 'ART' }),
  story: (storyId: string) => ({ pk: `STORY#${storyId}`, sk: 'STORY' }),
  feedState: (feedId: string) => ({ pk: `FEED#${feedId}`, sk: 'STATE' }),
  alert: (storyId: string, level: number) => ({ pk: `ALERT#${storyId}`, sk: String(level).padStart(4, '0') }),
  dyadState: (dyad: string) => ({ pk: `DYAD#${dyad}`, sk: 'STATE' }),
  /** the ids of a dyad's stories first seen in a month (YYYY-MM), read strongly consistent */
  storyMonth: (dyad: string, month: string) => ({ pk: `DYAD#${dyad}`, sk: `STORIES#${month}` }),
  alertCount: (hour: string) => ({ pk: `ALERTCOUNT#${hour}`, sk: 'COUNT' }),
  /** a feed's WebSub subscription (holds its secret: analysts are denied WEBSUB# keys) */
  subscription: (feedId: string) => ({ pk: `${SUBSCRIPTION_PREFIX}${feedId}`, sk: 'SUB' }),
  /** counts of pushes to a feed's callback, accepted and refused */
  pushCounts: (feedId: string) => ({ pk: `${SUBSCRIPTION_PREFIX}${feedId}`, sk: 'PUSHES' }),
};

/** The key prefix of WebSub items: IAM conditions (dynamodb:LeadingKeys) grant and deny by it. */
export const SUBSCRIPTION_PREFIX = 'WEBSUB#';
