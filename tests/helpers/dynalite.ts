import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTable, startLocalDynamo, type LocalDynamo } from '#shared/adapters/local-dynalite.ts';
import { DynamoDbEventStore, createDocumentClient } from '#shared/adapters/dynamodb-event-store.ts';
import { TABLE } from '#shared/table-schema.ts';

export interface TestTable {
  store: DynamoDbEventStore;
  local: LocalDynamo;
  dir: string;
  close(): Promise<void>;
}

/** A fresh dynalite table on disk in a temporary folder, created exactly as the local runner does. */
export async function openTestTable(): Promise<TestTable> {
  const dir = mkdtempSync(join(tmpdir(), 'ipw-dynalite-'));
  const local = await startLocalDynamo(dir);
  await ensureTable(local.client, TABLE.defaultName);
  const store = new DynamoDbEventStore(TABLE.defaultName, createDocumentClient(local.client));
  return {
    store,
    local,
    dir,
    async close() {
      await local.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
