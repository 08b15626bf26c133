import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbEventStore } from '#shared/adapters/dynamodb-event-store.ts';
import { ensureTable, startLocalDynamo } from '#shared/adapters/local-dynalite.ts';
import type { Article, FeedState, Story } from '#shared/domain/types.ts';
import { ConfigError, StoreError } from '#shared/errors.ts';
import { TABLE } from '#shared/table-schema.ts';
import { openTestTable, type TestTable } from '../helpers/dynalite.ts';

function story(overrides: Partial<Story> = {}): Story {
  const firstSeen = overrides.firstSeen ?? '2026-03-02T09:00:00.000Z';
  return {
    storyId: 'story-1',
    dyad: 'IR-PK',
    primaryType: 'talks',
    types: ['talks'],
    severity: 2,
    confidence: 0.8,
    actors: [{ country: 'IR', name: 'Foreign Ministry' }, { country: 'PK' }],
    eventDates: [{ date: firstSeen.slice(0, 10), text: 'on Monday', kind: 'reported' }],
    headline: 'Foreign ministers hold talks',
    evidence: 'the two ministers met',
    firstSeen,
    lastSeen: firstSeen,
    sourceCount: 1,
    articles: [{ articleId: 'art-1', url: 'https://wire.example.org/1', title: 'Ministers meet', outlet: 'Example Wire', publishedAt: firstSeen }],
    tokens: ['ministers', 'talks'],
    alertLevel: 0,
    version: 0,
    ...overrides,
  };
}

function article(overrides: Partial<Article> = {}): Article {
  return {
    articleId: 'art-1',
    url: 'https://wire.example.org/1',
    title: 'Ministers meet',
    summary: 'Two ministers met for talks.',
    publishedAt: '2026-03-02T09:00:00.000Z',
    publishedFromFeed: true,
    feedId: 'example-wire',
    outlet: 'Example Wire',
    language: 'en',
    fetchedAt: '2026-03-02T09:05:00.000Z',
    classification: {
      relevant: true,
      types: ['talks'],
      primary: 'talks',
      severity: 2,
      confidence: 0.8,
      actors: [{ country: 'IR' }, { country: 'PK' }],
      dates: [],
      evidence: 'met for talks',
      dyad: 'IR-PK',
    },
    storyId: null,
    ...overrides,
  };
}

function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({ message: 'x', $metadata: {} });
}

describe('DynamoDbEventStore commands (aws-sdk-client-mock)', () => {
  let ddb: AwsClientStub<DynamoDBDocumentClient>;
  let store: DynamoDbEventStore;

  beforeAll(() => {
    ddb = mockClient(DynamoDBDocumentClient);
    store = new DynamoDbEventStore('t', DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })));
  });

  afterAll(() => {
    ddb.restore();
  });

  beforeEach(() => {
    ddb.reset();
  });

  describe('putArticleIfNew', () => {
    it('puts the article with attribute_not_exists(pk) and returns true', async () => {
      ddb.on(PutCommand).resolves({});
      await expect(store.putArticleIfNew(article(), 1_800_000_000)).resolves.toBe(true);
      expect(ddb).toReceiveCommandTimes(PutCommand, 1);
      expect(ddb).toReceiveCommandWith(PutCommand, {
        TableName: 't',
        ConditionExpression: 'attribute_not_exists(pk)',
        Item: expect.objectContaining({ pk: 'ART#art-1', sk: 'ART', kind: 'article', articleId: 'art-1', expiresAt: 1_800_000_000 }),
      });
    });

    it('leaves out the TTL attribute when none is given', async () => {
      ddb.on(PutCommand).resolves({});
      await store.putArticleIfNew(article());
      const item = ddb.commandCalls(PutCommand)[0]?.args[0].input.Item;
      expect(item).toBeDefined();
      expect(item).not.toHaveProperty('expiresAt');
    });

    it('returns false when the condition fails', async () => {
      ddb.on(PutCommand).rejects(conditionFailed());
      await expect(store.putArticleIfNew(article())).resolves.toBe(false);
    });

    it('wraps other failures in StoreError', async () => {
      ddb.on(PutCommand).rejects(new Error('throttled'));
      await expect(store.putArticleIfNew(article())).rejects.toBeInstanceOf(StoreError);
    });
  });

  describe('putStory', () => {
    it('creates with attribute_not_exists(pk) when the expected version is 0', async () => {
      ddb.on(PutCommand).resolves({});
      await expect(store.putStory(story(), 0)).resolves.toBe(true);
      expect(ddb).toReceiveCommandWith(PutCommand, {
        TableName: 't',
        ConditionExpression: 'attribute_not_exists(pk)',
        Item: expect.objectContaining({
          pk: 'STORY#story-1',
          sk: 'STORY',
          kind: 'story',
          version: 1,
          dyad: 'IR-PK',
          day: '2026-03-02',
          eventType: 'talks',
          publishedAt: '2026-03-02T09:00:00.000Z',
        }),
      });
    });

    it('conditions an update on the stored version and bumps it', async () => {
      ddb.on(PutCommand).resolves({});
      await expect(store.putStory(story({ version: 3 }), 3)).resolves.toBe(true);
      expect(ddb).toReceiveCommandWith(PutCommand, {
        ConditionExpression: '#v = :v',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':v': 3 },
        Item: expect.objectContaining({ version: 4 }),
      });
    });

    it('returns false on a stale version', async () => {
      ddb.on(PutCommand).rejects(conditionFailed());
      await expect(store.putStory(story(), 2)).resolves.toBe(false);
    });
  });

  describe('storiesInWindow (story formation)', () => {
    it('lists each new story under its dyad and month', async () => {
      ddb.on(PutCommand).resolves({});
      ddb.on(UpdateCommand).resolves({});
      await store.putStory(story(), 0);
      expect(ddb).toReceiveCommandWith(UpdateCommand, { Key: { pk: 'DYAD#IR-PK', sk: 'STORIES#2026-03' }, UpdateExpression: 'ADD storyIds :id SET #k = :kind', ExpressionAttributeValues: { ':id': new Set(['story-1']), ':kind': 'story-month' } });
    });

    it('finds a story the lagging index does not show yet, and reads every story at its latest version', async () => {
      const written = { ...story({ storyId: 'fresh', version: 2 }), pk: 'STORY#fresh', sk: 'STORY', kind: 'story' };
      const stale = { ...story({ storyId: 'old', version: 1, firstSeen: '2026-02-27T00:00:00.000Z' }), pk: 'STORY#old', sk: 'STORY', kind: 'story' };
      // The index still has an older version of one story and nothing of the other.
      ddb.on(QueryCommand).resolves({ Items: [stale] });
      ddb
        .on(BatchGetCommand)
        .resolvesOnce({ Responses: { t: [{ pk: 'DYAD#IR-PK', sk: 'STORIES#2026-03', storyIds: new Set(['fresh']) }] } })
        .resolvesOnce({ Responses: { t: [written, { ...stale, version: 3, severity: 4 }] } });
      const out = await store.storiesInWindow('IR-PK', '2026-02-20T00:00:00.000Z', '2026-03-10T00:00:00.000Z');
      expect(out.map((s) => [s.storyId, s.version])).toEqual([
        ['old', 3],
        ['fresh', 2],
      ]);
      const gets = ddb.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.t);
      expect(gets[0]).toMatchObject({ ConsistentRead: true, Keys: [{ pk: 'DYAD#IR-PK', sk: 'STORIES#2026-02' }, { pk: 'DYAD#IR-PK', sk: 'STORIES#2026-03' }] });
      expect(gets[1]).toMatchObject({ ConsistentRead: true });
      expect(gets[1]?.Keys?.map((k) => k.pk).sort()).toEqual(['STORY#fresh', 'STORY#old']);
    });
  });

  describe('claimAlert', () => {
    it('claims unless a live claim or a sent alert exists', async () => {
      ddb.on(PutCommand).resolves({});
      await expect(store.claimAlert('story-1', 2, '2026-03-02T10:00:00.000Z', 600)).resolves.toBe(true);
      expect(ddb).toReceiveCommandWith(PutCommand, {
        TableName: 't',
        ConditionExpression: 'attribute_not_exists(pk) OR (#s = :claimed AND claimedAt < :cutoff)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':claimed': 'claimed', ':cutoff': '2026-03-02T09:50:00.000Z' },
        Item: expect.objectContaining({ pk: 'ALERT#story-1', sk: '0002', kind: 'alert', storyId: 'story-1', level: 2, status: 'claimed', claimedAt: '2026-03-02T10:00:00.000Z' }),
      });
    });

    it('writes the suppressed status when asked', async () => {
      ddb.on(PutCommand).resolves({});
      await store.claimAlert('story-1', 1, '2026-03-02T10:00:00.000Z', 600, 'suppressed');
      expect(ddb).toReceiveCommandWith(PutCommand, { Item: expect.objectContaining({ status: 'suppressed', sk: '0001' }) });
    });

    it('returns false when the condition fails', async () => {
      ddb.on(PutCommand).rejects(conditionFailed());
      await expect(store.claimAlert('story-1', 1, '2026-03-02T10:00:00.000Z', 600)).resolves.toBe(false);
    });
  });

  describe('existingArticleIds', () => {
    /** Answers every BatchGet with all the keys it asked for. */
    function answerAll(input: { RequestItems: Record<string, { Keys: { pk: string }[] }> }) {
      const keys = input.RequestItems['t']?.Keys ?? [];
      return { Responses: { t: keys.map((k) => ({ pk: k.pk })) } };
    }

    it('batches keys in chunks of 100 with a pk projection, dropping duplicates', async () => {
      ddb.on(BatchGetCommand).callsFake(answerAll);
      const ids = Array.from({ length: 250 }, (_, i) => `a${i}`);
      const found = await store.existingArticleIds([...ids, 'a0', 'a1']);
      expect(found).toEqual(new Set(ids));
      const calls = ddb.commandCalls(BatchGetCommand);
      expect(calls.map((c) => c.args[0].input.RequestItems?.['t']?.Keys?.length)).toEqual([100, 100, 50]);
      expect(calls[0]?.args[0].input.RequestItems?.['t']).toMatchObject({ ProjectionExpression: 'pk' });
      expect(calls[0]?.args[0].input.RequestItems?.['t']?.Keys?.[0]).toEqual({ pk: 'ART#a0', sk: 'ART' });
    });

    it('retries UnprocessedKeys until none are left', async () => {
      const unprocessed = [
        { pk: 'ART#b2', sk: 'ART' },
        { pk: 'ART#b3', sk: 'ART' },
      ];
      ddb
        .on(BatchGetCommand)
        .resolvesOnce({ Responses: { t: [{ pk: 'ART#b1' }] }, UnprocessedKeys: { t: { Keys: unprocessed } } })
        .resolvesOnce({ Responses: { t: [{ pk: 'ART#b3' }] } });
      const found = await store.existingArticleIds(['b1', 'b2', 'b3']);
      expect(found).toEqual(new Set(['b1', 'b3']));
      expect(ddb).toReceiveCommandTimes(BatchGetCommand, 2);
      expect(ddb).toReceiveNthCommandWith(BatchGetCommand, 2, { RequestItems: { t: { Keys: unprocessed, ProjectionExpression: 'pk' } } });
    });

    it('sends nothing for no ids', async () => {
      await expect(store.existingArticleIds([])).resolves.toEqual(new Set());
      expect(ddb).not.toReceiveAnyCommand();
    });
  });

  describe('queryStories', () => {
    it('queries the byDyad index when a dyad is given, never scanning', async () => {
      ddb.on(QueryCommand).resolves({ Items: [] });
      await store.queryStories({ dyad: 'IR-PK', since: '2026-03-01T00:00:00.000Z', until: '2026-03-31T23:59:59.999Z' });
      expect(ddb).toReceiveCommandTimes(QueryCommand, 1);
      expect(ddb).toReceiveCommandWith(QueryCommand, {
        TableName: 't',
        IndexName: 'byDyad',
        ExpressionAttributeNames: { '#k': 'dyad' },
        ExpressionAttributeValues: { ':k': 'IR-PK', ':since': '2026-03-01T00:00:00.000Z', ':until': '2026-03-31T23:59:59.999Z' },
      });
      expect(ddb).not.toReceiveCommand(ScanCommand);
    });

    it('queries the byDay index once per day without a dyad, never scanning', async () => {
      ddb.on(QueryCommand).resolves({ Items: [] });
      await store.queryStories({ since: '2026-03-01T12:00:00.000Z', until: '2026-03-03T06:00:00.000Z' });
      const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
      expect(calls.map((i) => i.IndexName)).toEqual(['byDay', 'byDay', 'byDay']);
      expect(calls.map((i) => i.ExpressionAttributeValues?.[':k'])).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
      expect(ddb).not.toReceiveCommand(ScanCommand);
    });

    it('follows LastEvaluatedKey, keeps only stories, filters by type and sorts by firstSeen', async () => {
      const later = { ...story({ storyId: 's2', firstSeen: '2026-03-05T00:00:00.000Z', types: ['visit', 'talks'], primaryType: 'visit' }), pk: 'STORY#s2', sk: 'STORY', kind: 'story' };
      const earlier = { ...story({ storyId: 's1', firstSeen: '2026-03-02T00:00:00.000Z' }), pk: 'STORY#s1', sk: 'STORY', kind: 'story' };
      const other = { ...story({ storyId: 's3', types: ['protest'], primaryType: 'protest' }), pk: 'STORY#s3', sk: 'STORY', kind: 'story' };
      ddb
        .on(QueryCommand)
        .resolvesOnce({ Items: [later, { pk: 'ART#x', sk: 'ART', kind: 'article' }], LastEvaluatedKey: { pk: 'STORY#s2', sk: 'STORY' } })
        .resolvesOnce({ Items: [other, earlier] });
      const out = await store.queryStories({ dyad: 'IR-PK', type: 'talks', since: '2026-03-01T00:00:00.000Z', until: '2026-03-31T00:00:00.000Z' });
      expect(out.map((s) => s.storyId)).toEqual(['s1', 's2']);
      expect(out[0]).not.toHaveProperty('pk');
      expect(ddb).toReceiveNthCommandWith(QueryCommand, 2, { ExclusiveStartKey: { pk: 'STORY#s2', sk: 'STORY' } });
    });

    it('refuses a day-index query over more than 366 days without sending anything', async () => {
      await expect(store.queryStories({ since: '2024-01-01T00:00:00.000Z', until: '2026-01-01T00:00:00.000Z' })).rejects.toBeInstanceOf(StoreError);
      expect(ddb).not.toReceiveAnyCommand();
    });
  });
});

describe('DynamoDbEventStore on dynalite', () => {
  let table: TestTable;
  let store: DynamoDbEventStore;

  beforeAll(async () => {
    table = await openTestTable();
    store = table.store;
  });

  afterAll(async () => {
    await table?.close();
  });

  it('stores an article once; a second put returns false', async () => {
    const a = article({ articleId: 'once-1' });
    await expect(store.putArticleIfNew(a)).resolves.toBe(true);
    await expect(store.putArticleIfNew({ ...a, title: 'changed' })).resolves.toBe(false);
  });

  it('tells which article ids exist, across more than one batch', async () => {
    const ids = Array.from({ length: 105 }, (_, i) => `bulk-${i}`);
    for (const id of ids) await store.putArticleIfNew(article({ articleId: id }));
    const found = await store.existingArticleIds([...ids, 'bulk-missing', 'never-stored']);
    expect(found).toEqual(new Set(ids));
    await expect(store.existingArticleIds(['nope'])).resolves.toEqual(new Set());
  });

  it('retires a merged-away story only at the version it was read at, leaving a pointer no query sees', async () => {
    const s = story({ storyId: 'gone-1', firstSeen: '2026-01-11T08:00:00.000Z' });
    await store.putStory(s, 0);
    await expect(store.retireStory('gone-1', 2, 'kept-1')).resolves.toBe(false);
    await expect(store.getStory('gone-1')).resolves.not.toBeNull();
    await expect(store.mergedInto('gone-1')).resolves.toBeNull();
    await expect(store.retireStory('gone-1', 1, 'kept-1')).resolves.toBe(true);
    await expect(store.getStory('gone-1')).resolves.toBeNull();
    await expect(store.mergedInto('gone-1')).resolves.toBe('kept-1');
    expect(await store.storiesInWindow('IR-PK', '2026-01-01T00:00:00.000Z', '2026-01-31T00:00:00.000Z')).not.toContainEqual(expect.objectContaining({ storyId: 'gone-1' }));
    expect(await store.queryStories({ since: '2026-01-11T00:00:00.000Z', until: '2026-01-11T23:59:59.999Z' })).toEqual([]);
    // Retired already (a rerun after the write went through): nothing to do.
    await expect(store.retireStory('gone-1', 1, 'kept-1')).resolves.toBe(true);
    await expect(store.mergedInto('never-stored')).resolves.toBeNull();
  });

  it('round-trips a story and enforces the optimistic lock', async () => {
    const s = story({ storyId: 'lock-1', firstSeen: '2026-01-10T08:00:00.000Z' });
    await expect(store.putStory(s, 0)).resolves.toBe(true);
    await expect(store.getStory('lock-1')).resolves.toEqual({ ...s, version: 1 });
    await expect(store.putStory(s, 0)).resolves.toBe(false); // exists already

    await expect(store.putStory({ ...s, severity: 3, version: 1 }, 1)).resolves.toBe(true);
    await expect(store.putStory({ ...s, severity: 4, version: 1 }, 1)).resolves.toBe(false); // stale
    const stored = await store.getStory('lock-1');
    expect(stored).toMatchObject({ severity: 3, version: 2 });
    await expect(store.getStory('absent')).resolves.toBeNull();
  });

  describe('story queries', () => {
    const seeded = [
      story({ storyId: 'q-a', dyad: 'IR-PK', firstSeen: '2026-04-01T06:00:00.000Z', primaryType: 'talks', types: ['talks'] }),
      story({ storyId: 'q-b', dyad: 'IR-PK', firstSeen: '2026-04-02T12:00:00.000Z', primaryType: 'visit', types: ['visit', 'talks'] }),
      story({ storyId: 'q-c', dyad: 'IR-PK', firstSeen: '2026-04-05T12:00:00.000Z', primaryType: 'protest', types: ['protest'] }),
      story({ storyId: 'q-d', dyad: 'AF-PK', firstSeen: '2026-04-02T08:00:00.000Z', primaryType: 'border_incident', types: ['border_incident'] }),
    ];

    beforeAll(async () => {
      for (const s of seeded) expect(await store.putStory(s, 0)).toBe(true);
      // an article on the same day must not show up in story queries
      await store.putArticleIfNew(article({ articleId: 'q-article', publishedAt: '2026-04-02T09:00:00.000Z' }));
    });

    it('storiesInWindow returns the dyad’s stories first seen in the window', async () => {
      const out = await store.storiesInWindow('IR-PK', '2026-04-01T00:00:00.000Z', '2026-04-03T00:00:00.000Z');
      expect(out.map((s) => s.storyId).sort()).toEqual(['q-a', 'q-b']);
      expect(out.find((s) => s.storyId === 'q-b')).toEqual({ ...seeded[1], version: 1 });
    });

    it('storiesInWindow bounds are inclusive', async () => {
      const out = await store.storiesInWindow('IR-PK', '2026-04-01T06:00:00.000Z', '2026-04-05T12:00:00.000Z');
      expect(out.map((s) => s.storyId).sort()).toEqual(['q-a', 'q-b', 'q-c']);
    });

    it('keeps a story’s classifier version through the index queries', async () => {
      const s = story({ storyId: 'q-version', dyad: 'IR-PK', firstSeen: '2026-05-01T06:00:00.000Z', classifierVersion: 'rules-2' });
      expect(await store.putStory(s, 0)).toBe(true);
      const out = await store.queryStories({ dyad: 'IR-PK', since: '2026-05-01T00:00:00.000Z', until: '2026-05-01T23:59:59.999Z' });
      expect(out).toEqual([{ ...s, version: 1 }]);
    });

    it('queryStories by dyad', async () => {
      const out = await store.queryStories({ dyad: 'AF-PK', since: '2026-04-01T00:00:00.000Z', until: '2026-04-30T00:00:00.000Z' });
      expect(out.map((s) => s.storyId)).toEqual(['q-d']);
    });

    it('queryStories by day range across dyads, sorted by firstSeen', async () => {
      const out = await store.queryStories({ since: '2026-04-01T00:00:00.000Z', until: '2026-04-02T23:59:59.999Z' });
      expect(out.map((s) => s.storyId)).toEqual(['q-a', 'q-d', 'q-b']);
    });

    it('queryStories by day range honours the times inside the first and last day', async () => {
      const out = await store.queryStories({ since: '2026-04-01T07:00:00.000Z', until: '2026-04-02T10:00:00.000Z' });
      expect(out.map((s) => s.storyId)).toEqual(['q-d']);
    });

    it('queryStories type filter matches any of the story’s types', async () => {
      const talks = await store.queryStories({ type: 'talks', since: '2026-04-01T00:00:00.000Z', until: '2026-04-10T00:00:00.000Z' });
      expect(talks.map((s) => s.storyId)).toEqual(['q-a', 'q-b']);
      const protests = await store.queryStories({ dyad: 'IR-PK', type: 'protest', since: '2026-04-01T00:00:00.000Z', until: '2026-04-10T00:00:00.000Z' });
      expect(protests.map((s) => s.storyId)).toEqual(['q-c']);
    });
  });

  describe('alerts', () => {
    const t0 = '2026-02-01T10:00:00.000Z';
    const plus = (seconds: number) => new Date(Date.parse(t0) + seconds * 1000).toISOString();

    it('claims once; a live claim blocks a second', async () => {
      await expect(store.claimAlert('al-1', 1, t0, 300)).resolves.toBe(true);
      await expect(store.claimAlert('al-1', 1, plus(60), 300)).resolves.toBe(false);
      await expect(store.claimAlert('al-1', 2, plus(60), 300)).resolves.toBe(true); // another level is another alert
    });

    it('an expired claim can be re-claimed, a sent alert cannot', async () => {
      await expect(store.claimAlert('al-2', 1, t0, 300)).resolves.toBe(true);
      await expect(store.claimAlert('al-2', 1, plus(301), 300)).resolves.toBe(true);

      await expect(store.claimAlert('al-3', 1, t0, 300)).resolves.toBe(true);
      await store.markAlertSent('al-3', 1, 'msg-3', plus(1));
      await expect(store.claimAlert('al-3', 1, plus(10 * 86_400), 300)).resolves.toBe(false);
    });

    it('a suppressed alert is never re-claimed', async () => {
      await expect(store.claimAlert('al-4', 1, t0, 300, 'suppressed')).resolves.toBe(true);
      await expect(store.claimAlert('al-4', 1, plus(10 * 86_400), 300)).resolves.toBe(false);
    });

    it('releaseAlert lets a new claim succeed, but does not release a sent alert', async () => {
      await expect(store.claimAlert('al-5', 1, t0, 300)).resolves.toBe(true);
      await store.releaseAlert('al-5', 1);
      await expect(store.claimAlert('al-5', 1, plus(1), 300)).resolves.toBe(true);

      await store.markAlertSent('al-5', 1, 'msg-5', plus(2));
      await store.releaseAlert('al-5', 1);
      await expect(store.claimAlert('al-5', 1, plus(3), 300)).resolves.toBe(false);
      await store.releaseAlert('al-never-claimed', 1); // no error
    });

    it('alertClaims reads every claim of several stories with what each told', async () => {
      await store.claimAlert('al-7', 1, t0, 300, 'claimed', { severity: 4, types: ['protest'] });
      await store.markAlertSent('al-7', 1, 'm7', plus(1));
      await store.claimAlert('al-8', 1, t0, 300, 'suppressed', { severity: 5, types: ['strike'], status: 'scheduled' });
      const claims = await store.alertClaims(['al-7', 'al-8', 'al-none']);
      expect(claims.sort((a, b) => a.storyId.localeCompare(b.storyId))).toEqual([
        { storyId: 'al-7', level: 1, status: 'sent', claimedAt: t0, basis: { severity: 4, types: ['protest'] } },
        { storyId: 'al-8', level: 1, status: 'suppressed', claimedAt: t0, basis: { severity: 5, types: ['strike'], status: 'scheduled' } },
      ]);
    });

    it('sentAlertLevels lists only sent levels', async () => {
      await store.claimAlert('al-6', 1, t0, 300);
      await store.markAlertSent('al-6', 1, 'm1', plus(1));
      await store.claimAlert('al-6', 2, t0, 300);
      await store.claimAlert('al-6', 3, t0, 300, 'suppressed');
      await store.claimAlert('al-6', 4, t0, 300);
      await store.markAlertSent('al-6', 4, 'm4', plus(1));
      await expect(store.sentAlertLevels('al-6')).resolves.toEqual([1, 4]);
      await expect(store.sentAlertLevels('al-none')).resolves.toEqual([]);
    });
  });

  it('round-trips feed states', async () => {
    const a: FeedState = {
      feedId: 'feed-a',
      etag: '"e1"',
      lastModified: 'Mon, 02 Mar 2026 09:00:00 GMT',
      lastStatus: 'ok',
      lastFetchedAt: '2026-03-02T09:00:00.000Z',
      lastSuccessAt: '2026-03-02T09:00:00.000Z',
      consecutiveFailures: 0,
      nextPollAt: '2026-03-02T09:15:00.000Z',
    };
    const b: FeedState = { feedId: 'feed-b', lastStatus: 'failed', lastError: 'HTTP 500', consecutiveFailures: 3 };
    await store.putFeedState(a);
    await store.putFeedState(b);
    const states = await store.getFeedStates(['feed-a', 'feed-b', 'feed-missing']);
    expect(states.size).toBe(2);
    expect(states.get('feed-a')).toEqual(a);
    expect(states.get('feed-b')).toEqual(b);

    await store.putFeedState({ ...b, lastStatus: 'ok', consecutiveFailures: 0, lastError: undefined });
    expect((await store.getFeedStates(['feed-b'])).get('feed-b')).toEqual({ feedId: 'feed-b', lastStatus: 'ok', consecutiveFailures: 0 });
  });

  it('ensureTable is idempotent and keeps the data', async () => {
    await ensureTable(table.local.client, TABLE.defaultName);
    await ensureTable(table.local.client, TABLE.defaultName);
    await expect(store.existingArticleIds(['once-1'])).resolves.toEqual(new Set(['once-1']));
  });
});

describe('startLocalDynamo data-dir lock', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ipw-lock-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a data dir held by another running process', async () => {
    const modulePath = fileURLToPath(new URL('../../shared/adapters/local-dynalite.ts', import.meta.url));
    const script = `
      const { startLocalDynamo } = await import(${JSON.stringify(modulePath)});
      const local = await startLocalDynamo(process.env.LOCK_DIR);
      process.stdout.write('ready\\n');
      process.stdin.resume();
      process.stdin.on('end', async () => { await local.close(); process.exit(0); });
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, LOCK_DIR: dir },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('ready')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`lock holder exited early with ${code}`)));
      });
      const error = await startLocalDynamo(dir).then(
        async (local) => {
          await local.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(dir);
      expect((error as Error).message).toMatch(/in use/);
    } finally {
      child.stdin.end();
      const code = await Promise.race([exited, new Promise<'late'>((r) => setTimeout(() => r('late'), 5_000))]);
      if (code === 'late') child.kill();
    }
  });

  it('takes over a stale lock left by a process that has died', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const staleDir = join(dir, 'stale');
    rmSync(staleDir, { recursive: true, force: true });
    const local0 = await startLocalDynamo(staleDir);
    await local0.close();
    writeFileSync(join(staleDir, 'run.lock'), String(dead));
    const local = await startLocalDynamo(staleDir);
    await ensureTable(local.client, 'stale-table');
    await local.close();
  });
});
