import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Story } from '#shared/domain/types.ts';
import { openTestTable, type TestTable } from '../helpers/dynalite.ts';

/** The base class of the LevelDB iterators dynalite opens, reached the way the adapter reaches it. */
function iteratorBase(): { close(): Promise<void> } {
  const require = createRequire(import.meta.url);
  const fromDynalite = createRequire(require.resolve('dynalite'));
  const { AbstractIterator } = createRequire(fromDynalite.resolve('classic-level'))('abstract-level') as { AbstractIterator: { prototype: object } };
  return Object.getPrototypeOf(AbstractIterator.prototype) as { close(): Promise<void> };
}

const story = (id: string): Story => ({
  storyId: id, dyad: 'IR-PK', primaryType: 'talks', types: ['talks'], severity: 2, confidence: 0.8, actors: [], eventDates: [], headline: id, evidence: '',
  firstSeen: '2024-01-10T00:00:00.000Z', lastSeen: '2024-01-10T00:00:00.000Z', sourceCount: 1, articles: [], tokens: [], alertLevel: 0, version: 0,
});

describe('the local DynamoDB (dynalite)', () => {
  let table: TestTable;
  beforeEach(async () => {
    table = await openTestTable();
  });
  afterEach(async () => table.close());

  it('closes the LevelDB iterator of every query (an open one pins the data of its moment)', async () => {
    await table.store.putStory(story('a'), 0);
    const base = iteratorBase();
    const original = base.close;
    let closed = 0;
    base.close = async function (this: unknown) {
      closed++;
      return original.call(this);
    };
    try {
      for (let i = 0; i < 5; i++) expect(await table.store.storiesInWindow('IR-PK', '2024-01-01T00:00:00Z', '2024-01-31T00:00:00Z')).toHaveLength(1);
      // Allow the streams' destroy callbacks to run.
      await new Promise((r) => setTimeout(r, 50));
      expect(closed).toBeGreaterThanOrEqual(5);
    } finally {
      base.close = original;
    }
  });
});
