/**
 * The event store a reading CLI (query, report, feeds) works on: the local runner's data dir, or the
 * table in AWS with --table and --region. Shared so both say the same things about bad input.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbEventStore, createDocumentClient } from '#shared/adapters/dynamodb-event-store.ts';
import { DynamoDbSubscriptionStore } from '#shared/adapters/dynamodb-subscription-store.ts';
import { ensureTable, startLocalDynamo } from '#shared/adapters/local-dynalite.ts';
import { TABLE } from '#shared/table-schema.ts';
import { UsageError } from './cli.ts';
import { QueryError, describeError } from '#shared/errors.ts';

/** The parseArgs options that choose the store. */
export const STORE_OPTIONS = {
  'data-dir': { type: 'string', default: '.data' },
  table: { type: 'string' },
  region: { type: 'string' },
} as const;

export const STORE_USAGE = `  --data-dir <dir>       the local runner's data dir (default .data)
  --table <name>         read the table in AWS instead (needs AWS credentials)
  --region <region>      AWS region of --table (default: AWS_REGION)`;

/** The store chosen by the STORE_OPTIONS values. */
export function storeChoice(values: { 'data-dir': string; table?: string | undefined; region?: string | undefined }): StoreChoice {
  if (values.region && !values.table) throw new UsageError('--region goes with --table');
  return { dataDir: resolve(values['data-dir']), table: values.table, region: values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION };
}

export interface StoreChoice {
  dataDir: string;
  table?: string | undefined;
  region?: string | undefined;
}

/** The stores on one table: events and feed states, and the WebSub subscriptions. */
export interface OpenedStores {
  subscriptions: DynamoDbSubscriptionStore;
}

/** Opens the chosen store; `close` releases the local data dir (a no-op for AWS). */
async function openEventStore(choice: StoreChoice): Promise<{ store: DynamoDbEventStore; others: OpenedStores; close: () => Promise<void> }> {
  if (choice.table) {
    if (!choice.region) throw new UsageError('--table needs --region (or AWS_REGION)');
    const doc = createDocumentClient(new DynamoDBClient({ region: choice.region }));
    return { store: new DynamoDbEventStore(choice.table, doc), others: { subscriptions: new DynamoDbSubscriptionStore(choice.table, doc) }, close: async () => {} };
  }
  if (!existsSync(join(choice.dataDir, 'dynamodb'))) throw new UsageError(`no local data in ${choice.dataDir}: run \`npm start\` first, or pass --data-dir`);
  const local = await startLocalDynamo(choice.dataDir);
  try {
    await ensureTable(local.client, TABLE.defaultName);
  } catch (error) {
    await local.close();
    throw error;
  }
  const doc = createDocumentClient(local.client);
  return { store: new DynamoDbEventStore(TABLE.defaultName, doc), others: { subscriptions: new DynamoDbSubscriptionStore(TABLE.defaultName, doc) }, close: () => local.close() };
}

/**
 * Runs a reading CLI's work on the chosen store and always closes it. Returns the exit code: 0,
 * 2 for a bad command line or query (with the message on stderr), 1 for anything else.
 */
export async function withEventStore(choice: StoreChoice, work: (store: DynamoDbEventStore, others: OpenedStores) => Promise<void>): Promise<number> {
  let close = async () => {};
  try {
    const opened = await openEventStore(choice);
    close = opened.close;
    await work(opened.store, opened.others);
    return 0;
  } catch (error) {
    process.stderr.write(`${describeError(error)}\n`);
    return error instanceof UsageError || error instanceof QueryError ? 2 : 1;
  } finally {
    await close();
  }
}
