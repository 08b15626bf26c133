import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { loadConfig } from '#shared/config.ts';
import { DynamoDbEventStore } from '#shared/adapters/dynamodb-event-store.ts';
import { SnsAlertPublisher } from '#shared/adapters/sns-alert-publisher.ts';
import { notifyStory, publishDigest, type NotifyDeps } from '#shared/use-cases/notify-story.ts';
import { describeError } from '#shared/errors.ts';
import { count, log, logger, metrics } from '#shared/observability.ts';
import type { Story } from '#shared/domain/types.ts';

const config = loadConfig(process.env, ['alertTopicArn']);
const deps: NotifyDeps = {
  store: new DynamoDbEventStore(config.tableName),
  publisher: new SnsAlertPublisher(config.alertTopicArn as string),
  clock: () => new Date(),
  log,
};

/** The story in a stream record's new image, or null for any other item. */
export function storyOf(record: DynamoDBRecord): Story | null {
  const image = record.dynamodb?.NewImage;
  if (!image) return null;
  const item = unmarshall(image as Record<string, AttributeValue>);
  // The event source filter passes only writes that raised the level; this guards a missing filter.
  if (item.kind !== 'story' || typeof item.storyId !== 'string' || item.alertDue === false) return null;
  return item as unknown as Story;
}

/**
 * DynamoDB stream batch (filtered in the event source to stories with an alert level).
 * Records are handled in order; at the first failure the rest of the batch is reported failed
 * from that record on, as stream batch item failures require, and retried. A duplicate or
 * re-ordered record finds its alert claimed and sends nothing.
 */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const digest: Story[] = [];
  const held: string[] = [];
  try {
    for (const record of event.Records) {
      const story = storyOf(record);
      if (!story) continue;
      try {
        const outcome = await notifyStory(story, deps, { burstLimit: config.policy.burstLimit, digest });
        if (outcome === 'published') count('alertsPublished');
        if (outcome === 'duplicate') count('alertsDuplicate');
        if (outcome === 'held-for-digest') held.push(record.dynamodb?.SequenceNumber ?? '');
      } catch (error) {
        logger.error('alert failed', { storyId: story.storyId, level: story.alertLevel, error: describeError(error) });
        await sendDigest(digest);
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    try {
      await sendDigest(digest);
    } catch (error) {
      // The claims were released: retrying from the first held record sends them again.
      logger.error('digest failed', { stories: digest.length, error: describeError(error) });
      return { batchItemFailures: held.slice(0, 1).map((itemIdentifier) => ({ itemIdentifier })) };
    }
    return { batchItemFailures: [] };
  } finally {
    metrics.publishStoredMetrics();
  }
};

async function sendDigest(stories: Story[]): Promise<void> {
  if (await publishDigest(stories, deps)) count('alertsPublished');
}
