import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { loadConfig } from '#shared/config.ts';
import { DynamoDbEventStore } from '#shared/adapters/dynamodb-event-store.ts';
import { parseStoryJob } from '#shared/story-job.ts';
import { formStories, type PendingArticle, type StoryDeps } from '#shared/use-cases/form-stories.ts';
import { describeError } from '#shared/errors.ts';
import { count, log, logger, metrics } from '#shared/observability.ts';

const config = loadConfig(process.env);
const deps: StoryDeps = { store: new DynamoDbEventStore(config.tableName), log, policy: config.policy };

/**
 * A batch from the story FIFO queue: relevant articles, grouped by dyad by SQS, into stories.
 * SQS hands a message group to one invocation at a time, so story formation for a dyad never runs
 * twice at once. A malformed message is reported failed (it goes to the DLQ after the queue's
 * maxReceiveCount); if placing fails, every message of the batch is reported failed and retried:
 * formStories is idempotent, and a FIFO group must not skip ahead of a failed message.
 */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const jobs: PendingArticle[] = [];
  let firstBad = event.Records.length;
  for (const [i, record] of event.Records.entries()) {
    try {
      jobs.push(parseStoryJob(JSON.parse(record.body)));
    } catch (error) {
      logger.error('story job is malformed', { messageId: record.messageId, error: describeError(error) });
      firstBad = i;
      break;
    }
  }
  // Messages after a malformed one wait for it (a FIFO group must not skip ahead): they are
  // reported failed with it and come back once it has gone to the DLQ.
  const waiting = event.Records.slice(firstBad).map((r) => ({ itemIdentifier: r.messageId }));
  try {
    const outcomes = await formStories(jobs, deps);
    count('storiesNew', outcomes.filter((o) => o.kind === 'new').length);
    count('storiesUpdated', outcomes.filter((o) => o.kind === 'updated').length);
    count('articlesRelevant', outcomes.filter((o) => o.stored).length);
    count('duplicatesSkipped', outcomes.filter((o) => !o.stored).length);
    return { batchItemFailures: waiting };
  } catch (error) {
    logger.error('story formation failed; the batch is retried', { articles: jobs.length, error: describeError(error) });
    return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
  } finally {
    metrics.publishStoredMetrics();
  }
};
