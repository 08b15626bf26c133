import { describe, expect, it } from 'vitest';
import { parseFeedJob } from '#shared/feed-job.ts';

const feed = { id: 'dawn-world', url: 'https://www.dawn.com/feeds/world', outlet: 'Dawn', language: 'en' };

describe('parseFeedJob', () => {
  it('reads a feed job as the dispatcher writes it, priority included', () => {
    expect(parseFeedJob({ feed }, 'message m-1')).toEqual({ feed });
    expect(parseFeedJob({ feed: { ...feed, priority: true } }, 'message m-1').feed.priority).toBe(true);
  });

  it('keeps only the feed definition’s fields', () => {
    expect(parseFeedJob({ feed: { ...feed, extra: 'x' }, other: 1 }, 'message m-1')).toEqual({ feed });
  });

  it.each([
    [null, /message m-1 is not a feed job: the body is not an object/],
    ['feed', /the body is not an object/],
    [{}, /feed is missing/],
    [{ feed: { ...feed, id: '' } }, /feed\.id must be a non-empty string/],
    [{ feed: { ...feed, outlet: 7 } }, /feed\.outlet must be a non-empty string/],
    [{ feed: { id: 'x' } }, /feed\.url must be a non-empty string/],
    [{ feed: { ...feed, url: 'file:///etc/passwd' } }, /feed\.url must be an http\(s\) URL/],
    [{ feed: { ...feed, url: 'not a url' } }, /feed\.url must be an http\(s\) URL/],
    [{ feed: { ...feed, priority: 'yes' } }, /feed\.priority must be true or false/],
  ])('refuses %j, naming what is wrong', (body, message) => {
    expect(() => parseFeedJob(body, 'message m-1')).toThrow(message);
  });
});
