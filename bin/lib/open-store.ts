/**
 * The event store a reading CLI (query, report) works on: the local runner's data dir, or the
 * table in AWS with --table and --region. Shared so both say the same things about bad input.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbEventStore, createDocumentClient } from '#shared/adapters/dynamodb-event-store.ts';
import { ensureTable, startLocalDynamo } from '#shared/adapters/local-dynalite.ts';
import { TABLE } from '#shared/table-schema.ts';
import { UsageError } from './cli.ts';

/** The parseArgs options that choose the store. */
export const STORE_OPTIONS = {
  'data-dir': { type: 'string', default: '.data' },
  table: { type: 'string' },
  region: { type: 'string' },
} as const;

export interface StoreChoice {
  dataDir: string;
  table?: string | undefined;
  region?: string | undefined;
}

/** Opens the chosen store; `close` releases the local data dir (a no-op for AWS). */
export async function openEventStore(choice: StoreChoice): Promise<{ store: DynamoDbEventStore; close: () => Promise<void> }> {
  if (choice.table) {
    if (!choice.region) throw new UsageError('--table needs --region (or AWS_REGION)');
    return { store: new DynamoDbEventStore(choice.table, createDocumentClient(new DynamoDBClient({ region: choice.region }))), close: async () => {} };
  }
  if (!existsSync(join(choice.dataDir, 'dynamodb'))) throw new UsageError(`no local data in ${choice.dataDir}: run \`npm start\` first, or pass --data-dir`);
  const local = await startLocalDynamo(choice.dataDir);
  try {
    await ensureTable(local.client, TABLE.defaultName);
  } catch (error) {
    await local.close();
    throw error;
  }
  return { store: new DynamoDbEventStore(TABLE.defaultName, createDocumentClient(local.client)), close: () => local.close() };
}
