import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException, type GlobalSecondaryIndex } from '@aws-sdk/client-dynamodb';
import { TABLE } from '../table-schema.ts';
import { ConfigError } from '../errors.ts';

const require = createRequire(import.meta.url);

export interface LocalDynamo {
  client: DynamoDBClient;
  endpoint: string;
  close(): Promise<void>;
}

/**
 * An embedded DynamoDB (dynalite on LevelDB) persisted under `dataDir`, on a loopback port of
 * this process. A lock file keeps two runs from opening the same LevelDB at once.
 */
/**
 * dynalite 4 ends each query's stream by calling `return()` on its LevelDB iterator, which
 * abstract-level 3 iterators do not have (they have `close()`): every Query left an iterator open,
 * and each open iterator pins LevelDB's data of its moment. With writes going on, the process
 * grew by megabytes per query (1.4 GB after 3,000 story writes and window queries; 132 MB with
 * the writes alone). Giving the iterators the `return()` dynalite expects closes them.
 */
function closeDynaliteIterators(): void {
  // abstract-level as dynalite's LevelDB binding (classic-level) loads it: the same module instance.
  const fromDynalite = createRequire(require.resolve('dynalite'));
  const { AbstractIterator } = createRequire(fromDynalite.resolve('classic-level'))('abstract-level') as { AbstractIterator: { prototype: object } };
  // The common base of abstract-level's entry, key and value iterators (dynalite uses values()).
  const common = Object.getPrototypeOf(AbstractIterator.prototype) as { close(): Promise<void>; return?: () => Promise<{ done: true; value: undefined }> };
  common.return ??= async function (this: { close(): Promise<void> }) {
    await this.close();
    return { done: true, value: undefined };
  };
}

/** Data dirs this process has open: LevelDB allows one opener, and a second would crash dynalite. */
const openHere = new Set<string>();

export async function startLocalDynamo(dataDir: string): Promise<LocalDynamo> {
  mkdirSync(dataDir, { recursive: true });
  const lock = join(dataDir, 'run.lock');
  const key = resolve(dataDir);
  if (openHere.has(key)) throw new ConfigError(`data dir ${dataDir} is in use by this process already; close it first`);
  takeLock(lock, dataDir);
  openHere.add(key);
  try {
    closeDynaliteIterators();
    const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;
    const server = dynalite({ path: join(dataDir, 'dynamodb'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const endpoint = `http://127.0.0.1:${port}`;
    const client = new DynamoDBClient({
      endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 3,
    });
    return {
      client,
      endpoint,
      async close() {
        client.destroy();
        await new Promise<void>((done) => server.close(() => done()));
        rmSync(lock, { force: true });
        openHere.delete(key);
      },
    };
  } catch (error) {
    rmSync(lock, { force: true });
    openHere.delete(key);
    throw error;
  }
}

function takeLock(lock: string, dataDir: string): void {
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = Number(readFileSync(lock, 'utf8'));
  if (holder && holder !== process.pid && isAlive(holder)) {
    throw new ConfigError(`data dir ${dataDir} is in use by another run (pid ${holder}); wait for it or use another --data-dir`);
  }
  // The holder died without cleaning up: the lock is stale.
  writeFileSync(lock, String(process.pid));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The table's key schema and indexes, as the data stack declares them in AWS. */
export function tableDefinition(tableName: string) {
  const indexes = Object.values(TABLE.indexes);
  const attributes = new Set<string>([TABLE.partitionKey, TABLE.sortKey, ...indexes.flatMap((i) => [i.partitionKey, i.sortKey])]);
  const globalSecondaryIndexes: GlobalSecondaryIndex[] = indexes.map((i) => ({
    IndexName: i.name,
    KeySchema: [
      { AttributeName: i.partitionKey, KeyType: 'HASH' },
      { AttributeName: i.sortKey, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: globalSecondaryIndexes,
  };
}

/** Creates the table with its indexes on first use; waits until it is ACTIVE. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.TableStatus === 'ACTIVE') return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException) && (error as Error).name !== 'ResourceNotFoundException') throw error;
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
  }
  for (let i = 0; i < 100; i++) {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.TableStatus === 'ACTIVE' && (out.Table.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE')) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
