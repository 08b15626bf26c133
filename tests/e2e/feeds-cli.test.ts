import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npm } from '../helpers/npm.ts';
import { startFeedServer, withEtag, type FeedServer } from '../helpers/feed-server.ts';
import { createDocumentClient } from '#shared/adapters/dynamodb-event-store.ts';
import { DynamoDbSubscriptionStore } from '#shared/adapters/dynamodb-subscription-store.ts';
import { ensureTable, startLocalDynamo } from '#shared/adapters/local-dynalite.ts';
import { feedsFromArgument } from '../../bin/lib/cli.ts';
import { TABLE } from '#shared/table-schema.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SECRET = 'c0ffee'.repeat(10) + 'beef';

describe('npm run feeds: each feed’s health, from the local data dir', () => {
  let server: FeedServer;
  let dataDir: string;
  let feeds: string;
  let ids: { indus: string; missing: string };

  beforeAll(async () => {
    server = await startFeedServer({ '/indus.xml': withEtag(readFileSync(join(ROOT, 'tests/fixtures/feeds/indus-daily.xml')), '"indus-v1"') });
    dataDir = mkdtempSync(join(tmpdir(), 'ipw-feeds-cli-'));
    feeds = `${server.url}/indus.xml,${server.url}/missing.xml`;
    const [indus, missing] = feedsFromArgument(feeds).map((f) => f.id) as [string, string];
    ids = { indus, missing };
    const cycle = await npm(['start', '--', '--feeds', feeds, '--data-dir', dataDir, '--allow-private-networks', '--json']);
    expect(cycle.code, cycle.stderr).toBe(0);
    // A subscription as the dispatcher would have stored it in AWS (the local runner never subscribes).
    const local = await startLocalDynamo(dataDir);
    try {
      await ensureTable(local.client, TABLE.defaultName);
      const subscriptions = new DynamoDbSubscriptionStore(TABLE.defaultName, createDocumentClient(local.client));
      const now = Date.now();
      const written = await subscriptions.putSubscription(
        { feedId: ids.indus, hub: 'https://hub.example/', topic: `${server.url}/indus.xml`, callbackId: 'cb1', secret: SECRET, status: 'verified', requestedAt: new Date(now - 3_600_000).toISOString(), leaseSeconds: 864_000, verifiedAt: new Date(now - 3_500_000).toISOString(), leaseExpiresAt: new Date(now + 5 * 86_400_000).toISOString(), failures: 0, version: 0 },
        0,
      );
      expect(written).toBe(true);
    } finally {
      await local.close();
    }
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives every feed its status, the failure’s reason and the push, problems first, and never the secret', async () => {
    const out = await npm(['feeds', '--', '--feeds', feeds, '--data-dir', dataDir, '--format', 'json']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).not.toContain(SECRET);
    const rows = JSON.parse(out.stdout) as { feedId: string; status: string; consecutiveFailures: number; lastErrorReason?: string; lastError?: string; push?: { status: string; hub: string } }[];
    expect(rows.map((r) => [r.feedId, r.status])).toEqual([
      [ids.missing, 'failing'],
      [ids.indus, 'ok'],
    ]);
    expect(rows[0]).toMatchObject({ consecutiveFailures: 1, lastErrorReason: 'not-found' });
    expect(rows[0]?.lastError).toMatch(/404/);
    expect(rows[1]?.push).toMatchObject({ status: 'live', hub: 'https://hub.example/' });
  });

  it('--problems lists only the feeds that need attention, with a summary line', async () => {
    const out = await npm(['feeds', '--', '--feeds', feeds, '--data-dir', dataDir, '--problems']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(ids.missing);
    expect(out.stdout).not.toContain(`${ids.indus} `);
    expect(out.stdout).toMatch(/not-found: HTTP 404/);
    expect(out.stdout).toMatch(/2 feeds: 1 ok, 1 failing, 0 stale, 0 never polled; push 1 live\./);
    expect(out.stdout).not.toContain(SECRET);
  });

  it('says so, exit code 2, for a bad option, a missing data dir or a missing registry', async () => {
    const bad = await npm(['feeds', '--', '--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format must be table or json/);
    const hours = await npm(['feeds', '--', '--stale-after-hours', '0']);
    expect(hours.code).toBe(2);
    expect(hours.stderr).toMatch(/--stale-after-hours must be a whole number/);
    const noData = await npm(['feeds', '--', '--data-dir', join(dataDir, 'nowhere')]);
    expect(noData.code).toBe(2);
    expect(noData.stderr).toMatch(/no local data in .*nowhere/);
    const noRegistry = await npm(['feeds', '--', '--registry', join(dataDir, 'feeds.json'), '--data-dir', dataDir]);
    expect(noRegistry.code).toBe(2);
    expect(noRegistry.stderr).toMatch(/no feed registry at/);
  });
});
