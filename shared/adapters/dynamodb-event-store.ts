import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { EventStore, StoryQuery } from '../ports.ts';
import type { Article, DyadState, FeedState, Story } from '../domain/types.ts';
import type { AlertBasis, AlertClaim } from '../domain/alert-decision.ts';
import { KEY, TABLE } from '../table-schema.ts';
import { StoreError } from '../errors.ts';

const DAY_MS = 86_400_000;

/** The months (YYYY-MM) from the one holding `since` to the one holding `until`. */
function monthsBetween(since: string, until: string): string[] {
  const out: string[] = [];
  let [year, month] = since.slice(0, 7).split('-').map(Number) as [number, number];
  const last = until.slice(0, 7);
  for (let guard = 0; guard < 1200; guard++) {
    const m = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
    if (m > last) break;
    out.push(m);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  return out;
}
/** A query over the day index touches one partition per day; past a year, ask for a dyad. */
const MAX_DAYS_WITHOUT_DYAD = 366;

export function createDocumentClient(client: DynamoDBClient = new DynamoDBClient({})): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error instanceof Error && error.name === 'ConditionalCheckFailedException');
}

const STORY_KEYS = ['pk', 'sk', 'kind', 'day', 'eventType', 'publishedAt', 'expiresAt'];

function toStory(item: Record<string, unknown>): Story {
  const story: Record<string, unknown> = { ...item };
  for (const key of STORY_KEYS) delete story[key];
  return story as unknown as Story;
}

function fromStory(story: Story): Record<string, unknown> {
  return {
    ...KEY.story(story.storyId),
    kind: 'story',
    ...story,
    // index keys: a story is listed by the day, primary type and dyad of its first report
    day: story.firstSeen.slice(0, 10),
    eventType: story.primaryType,
    publishedAt: story.firstSeen,
  };
}

/**
 * EventStore on one DynamoDB table (AWS, or dynalite locally) through the DocumentClient.
 * Every write that must not happen twice is conditional; reads of many keys are batched.
 */
export class DynamoDbEventStore implements EventStore {
  constructor(
    private readonly tableName: string,
    private readonly doc: DynamoDBDocumentClient = createDocumentClient(),
  ) {}

  async getFeedStates(feedIds: string[]): Promise<Map<string, FeedState>> {
    const items = await this.batchGet(feedIds.map(KEY.feedState));
    const out = new Map<string, FeedState>();
    for (const item of items) {
      const { pk: _pk, sk: _sk, kind: _kind, ...state } = item;
      out.set(String(state.feedId), state as unknown as FeedState);
    }
    return out;
  }

  async putFeedState(state: FeedState): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...KEY.feedState(state.feedId), kind: 'feed', ...state } }));
  }

  async existingArticleIds(articleIds: string[]): Promise<Set<string>> {
    const items = await this.batchGet(articleIds.map(KEY.article), 'pk');
    return new Set(items.map((i) => String(i.pk).slice('ART#'.length)));
  }

  async putArticleIfNew(article: Article, ttlSeconds?: number): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...KEY.article(article.articleId), kind: 'article', ...article, ...(ttlSeconds ? { [TABLE.ttlAttribute]: ttlSeconds } : {}) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw new StoreError(`could not store article ${article.articleId}`, { cause: error });
    }
  }

  /**
   * Read as story formation needs it: strongly consistent. The byDyad index is eventually
   * consistent, so a story the previous batch wrote may not be in it yet, and the next batch
   * would open a second story for the same event. Each story's id is also added to a month item
   * of its dyad (putStory); the ids from both, read back with consistent reads, give every story
   * written so far at its latest version.
   */
  async storiesInWindow(dyad: string, since: string, until: string): Promise<Story[]> {
    const [indexed, months] = await Promise.all([
      this.queryIndex(TABLE.indexes.byDyad.name, 'dyad', dyad, since, until),
      this.batchGet(monthsBetween(since, until).map((m) => KEY.storyMonth(dyad, m)), undefined, true),
    ]);
    const ids = new Set([...indexed.map((s) => s.storyId), ...months.flatMap((m) => [...((m.storyIds as Set<string> | undefined) ?? [])])]);
    const items = await this.batchGet([...ids].map(KEY.story), undefined, true);
    return items
      .filter((i) => i.kind === 'story' && i.dyad === dyad && String(i.firstSeen) >= since && String(i.firstSeen) <= until)
      .map(toStory)
      .sort((a, b) => a.firstSeen.localeCompare(b.firstSeen) || a.storyId.localeCompare(b.storyId));
  }

  async getStory(storyId: string): Promise<Story | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: KEY.story(storyId), ConsistentRead: true }));
    return out.Item?.kind === 'story' ? toStory(out.Item) : null;
  }

  async putStory(story: Story, expectedVersion: number): Promise<boolean> {
    if (!(await this.putVersioned(fromStory({ ...story, version: expectedVersion + 1 }), expectedVersion, `story ${story.storyId}`))) return false;
    // Listed under the month it is first seen in (again when an earlier report moves that):
    // idempotent, so a retry after a failure here only lists it again.
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: KEY.storyMonth(story.dyad, story.firstSeen.slice(0, 7)),
          UpdateExpression: 'ADD storyIds :id SET #k = :kind',
          ExpressionAttributeNames: { '#k': 'kind' },
          ExpressionAttributeValues: { ':id': new Set([story.storyId]), ':kind': 'story-month' },
        }),
      );
    } catch (error) {
      throw new StoreError(`could not list story ${story.storyId} under its month`, { cause: error });
    }
    return true;
  }

  async retireStory(storyId: string, expectedVersion: number, mergedInto: string): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          // No index attributes: the pointer is in no index, and queries never see it.
          Item: { ...KEY.story(storyId), kind: 'merged-story', storyId, mergedInto, version: expectedVersion + 1, [TABLE.ttlAttribute]: Math.floor(Date.now() / 1000) + 180 * 86_400 },
          ConditionExpression: 'attribute_not_exists(pk) OR #v = :v OR #k = :merged',
          ExpressionAttributeNames: { '#v': 'version', '#k': 'kind' },
          ExpressionAttributeValues: { ':v': expectedVersion, ':merged': 'merged-story' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw new StoreError(`could not retire story ${storyId}`, { cause: error });
    }
  }

  async mergedInto(storyId: string): Promise<string | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: KEY.story(storyId), ConsistentRead: true, ProjectionExpression: 'kind, mergedInto' }));
    return out.Item?.kind === 'merged-story' ? String(out.Item.mergedInto) : null;
  }

  async claimAlert(storyId: string, level: number, now: string, leaseSeconds: number, status: 'claimed' | 'suppressed' = 'claimed', basis?: AlertBasis, token?: string): Promise<boolean> {
    const cutoff = new Date(Date.parse(now) - leaseSeconds * 1000).toISOString();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...KEY.alert(storyId, level), kind: 'alert', storyId, level, status, claimedAt: now, ...(basis ? { basis } : {}), ...(token ? { token } : {}), [TABLE.ttlAttribute]: Math.floor(Date.parse(now) / 1000) + 180 * 86_400 },
          // A claim whose holder died before publishing expires after the lease; a sent one never does.
          ConditionExpression: 'attribute_not_exists(pk) OR (#s = :claimed AND claimedAt < :cutoff)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':cutoff': cutoff },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw new StoreError(`could not claim alert ${storyId}/${level}`, { cause: error });
    }
  }

  async markAlertSent(storyId: string, level: number, messageId: string, now: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: KEY.alert(storyId, level),
        UpdateExpression: 'SET #s = :sent, messageId = :m, sentAt = :now',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':m': messageId, ':now': now },
      }),
    );
  }

  async releaseAlert(storyId: string, level: number): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: KEY.alert(storyId, level),
          ConditionExpression: '#s = :claimed',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':claimed': 'claimed' },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async alertClaims(storyIds: string[]): Promise<AlertClaim[]> {
    const out: AlertClaim[] = [];
    for (const storyId of new Set(storyIds)) {
      const page = await this.doc.send(
        new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': KEY.alert(storyId, 0).pk }, ConsistentRead: true }),
      );
      for (const i of page.Items ?? []) {
        out.push({ storyId, level: Number(i.level), status: i.status as AlertClaim['status'], claimedAt: String(i.claimedAt), ...(i.basis ? { basis: i.basis as AlertBasis } : {}), ...(i.token ? { token: String(i.token) } : {}) });
      }
    }
    return out;
  }

  async sentAlertLevels(storyId: string): Promise<number[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': KEY.alert(storyId, 0).pk },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).filter((i) => i.status === 'sent').map((i) => Number(i.level));
  }

  async getDyadState(dyad: string): Promise<DyadState | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: KEY.dyadState(dyad), ConsistentRead: true }));
    if (!out.Item) return null;
    const { pk: _pk, sk: _sk, kind: _kind, ...state } = out.Item;
    return state as unknown as DyadState;
  }

  async putDyadState(state: DyadState, expectedVersion: number): Promise<boolean> {
    return this.putVersioned({ ...KEY.dyadState(state.dyad), kind: 'dyad', ...state, version: expectedVersion + 1 }, expectedVersion, `the state of ${state.dyad}`);
  }

  async countAlert(hour: string): Promise<number> {
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: KEY.alertCount(hour),
        UpdateExpression: 'ADD #n :one SET #k = :kind, #e = :expires',
        ExpressionAttributeNames: { '#n': 'count', '#k': 'kind', '#e': TABLE.ttlAttribute },
        ExpressionAttributeValues: { ':one': 1, ':kind': 'alert-count', ':expires': Math.floor(Date.parse(`${hour}:00:00Z`) / 1000) + 2 * 86_400 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(out.Attributes?.count ?? 1);
  }

  async queryStories(query: StoryQuery): Promise<Story[]> {
    let stories: Story[];
    if (query.dyad) {
      stories = await this.queryIndex(TABLE.indexes.byDyad.name, 'dyad', query.dyad, query.since, query.until);
    } else {
      const first = Date.parse(query.since.slice(0, 10));
      const last = Date.parse(query.until.slice(0, 10));
      const days = Math.floor((last - first) / DAY_MS) + 1;
      if (days > MAX_DAYS_WITHOUT_DYAD) throw new StoreError(`a query over ${days} days needs a dyad (at most ${MAX_DAYS_WITHOUT_DYAD} days without one)`);
      stories = [];
      for (let t = first; t <= last; t += DAY_MS) {
        const day = new Date(t).toISOString().slice(0, 10);
        stories.push(...(await this.queryIndex(TABLE.indexes.byDay.name, 'day', day, query.since, query.until)));
      }
    }
    const type = query.type;
    return (type ? stories.filter((s) => s.types.includes(type as Story['primaryType'])) : stories).sort((a, b) => a.firstSeen.localeCompare(b.firstSeen));
  }

  private putVersioned(item: Record<string, unknown>, expectedVersion: number, what: string): Promise<boolean> {
    return putVersioned(this.doc, this.tableName, item, expectedVersion, what);
  }

  private async queryIndex(indexName: string, keyName: string, keyValue: string, since: string, until: string): Promise<Story[]> {
    const out: Story[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const input: QueryCommandInput = {
        TableName: this.tableName,
        IndexName: indexName,
        KeyConditionExpression: '#k = :k AND publishedAt BETWEEN :since AND :until',
        ExpressionAttributeNames: { '#k': keyName },
        ExpressionAttributeValues: { ':k': keyValue, ':since': since, ':until': until },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      };
      const page = await this.doc.send(new QueryCommand(input));
      for (const item of page.Items ?? []) if (item.kind === 'story') out.push(toStory(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return out;
  }

  private batchGet(keys: Record<string, string>[], projection?: string, consistent = false): Promise<Record<string, unknown>[]> {
    return batchGetItems(this.doc, this.tableName, keys, projection, consistent);
  }
}

/** BatchGet in chunks of 100 keys, retrying unprocessed keys with a short backoff. */
/**
 * Optimistic locking: the put holds only if the stored version is still the expected one (0: none
 * stored); false when another writer got there first. `what` names the item in the error.
 */
export async function putVersioned(doc: DynamoDBDocumentClient, tableName: string, item: Record<string, unknown>, expectedVersion: number, what: string): Promise<boolean> {
  try {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ...(expectedVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': expectedVersion } }),
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw new StoreError(`could not store ${what}`, { cause: error });
  }
}

export async function batchGetItems(doc: DynamoDBDocumentClient, tableName: string, keys: Record<string, string>[], projection?: string, consistent = false): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const unique = [...new Map(keys.map((k) => [`${k.pk}|${k.sk}`, k])).values()];
  for (let i = 0; i < unique.length; i += 100) {
    let pending: Record<string, unknown>[] | undefined = unique.slice(i, i + 100);
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt > 8) throw new StoreError(`BatchGet left ${pending.length} keys unprocessed after ${attempt} attempts`);
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      const res = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ...(projection ? { ProjectionExpression: projection } : {}), ...(consistent ? { ConsistentRead: true } : {}) } } }));
      out.push(...(res.Responses?.[tableName] ?? []));
      pending = res.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return out;
}
