import { describe, expect, it } from 'vitest';
import { parseFeedRegistry } from '#shared/feed-registry.ts';
import { ConfigError } from '#shared/errors.ts';
import registry from '../../config/feeds.json' with { type: 'json' };

const feed = { id: 'indus-daily', url: 'https://indus-daily.example/feed', outlet: 'Indus Daily', language: 'en' };

describe('parseFeedRegistry', () => {
  it('reads the registry in config/', () => {
    expect(parseFeedRegistry(registry, 'config/feeds.json').length).toBe(registry.feeds.length);
  });

  it('keeps the priority flag of a feed, and leaves it out when absent', () => {
    const [flagged, plain] = parseFeedRegistry({ feeds: [{ ...feed, priority: true }, { ...feed, id: 'other' }] }, 'test');
    expect(flagged?.priority).toBe(true);
    expect(plain).not.toHaveProperty('priority');
  });

  it('refuses a priority that is not true or false, naming the entry', () => {
    expect(() => parseFeedRegistry({ feeds: [{ ...feed, priority: 'yes' }] }, 'test')).toThrow(ConfigError);
    expect(() => parseFeedRegistry({ feeds: [{ ...feed, priority: 'yes' }] }, 'test')).toThrow(/feeds\.0\.priority/);
  });
});
