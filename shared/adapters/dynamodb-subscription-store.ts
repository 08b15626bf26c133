import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PushOutcome, SubscriptionStore } from '../ports.ts';
import type { WebSubSubscription } from '../domain/types.ts';
import { KEY } from '../table-schema.ts';
import { batchGetItems, createDocumentClient, putVersioned } from './dynamodb-event-store.ts';

function toSubscription(item: Record<string, unknown>): WebSubSubscription {
  const { pk: _pk, sk: _sk, kind: _kind, ...subscription } = item;
  return subscription as unknown as WebSubSubscription;
}

/**
 * WebSub subscriptions in the events table: `WEBSUB#<feedId>/SUB` (versioned, holds the secret;
 * the table is encrypted at rest) and `WEBSUB#<feedId>/PUSHES` (counters updated in place, so a
 * push counted never races a versioned write of the subscription). Neither is in any index.
 */
export class DynamoDbSubscriptionStore implements SubscriptionStore {
  constructor(
    private readonly tableName: string,
    private readonly doc: DynamoDBDocumentClient = createDocumentClient(),
  ) {}

  async getSubscriptions(feedIds: string[]): Promise<Map<string, WebSubSubscription>> {
    const items = await batchGetItems(this.doc, this.tableName, feedIds.map(KEY.subscription));
    return new Map(items.map((item) => [String(item.feedId), toSubscription(item)]));
  }

  async getSubscription(feedId: string): Promise<WebSubSubscription | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: KEY.subscription(feedId), ConsistentRead: true }));
    return out.Item ? toSubscription(out.Item) : null;
  }

  putSubscription(subscription: WebSubSubscription, expectedVersion: number): Promise<boolean> {
    // Named by feed only: the item holds the secret.
    return putVersioned(this.doc, this.tableName, { ...KEY.subscription(subscription.feedId), kind: 'websub', ...subscription, version: expectedVersion + 1 }, expectedVersion, `the WebSub subscription of ${subscription.feedId}`);
  }

  async recordPush(feedId: string, outcome: PushOutcome, at: string): Promise<void> {
    const accepted = outcome === 'accepted';
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: KEY.pushCounts(feedId),
        UpdateExpression: accepted ? 'ADD accepted :one SET #k = :kind, lastPushAt = :at' : 'ADD refused :one SET #k = :kind, lastRefusedAt = :at, lastRefusedReason = :why',
        ExpressionAttributeNames: { '#k': 'kind' },
        ExpressionAttributeValues: { ':one': 1, ':kind': 'websub-pushes', ':at': at, ...(accepted ? {} : { ':why': outcome }) },
      }),
    );
  }
}
